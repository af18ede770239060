import { UserError } from "../../src/engine/errors.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { azureFailure, statusCode } from "../azure/common.js";
import { ids } from "../ids.js";

/** Not in the shared ids: nothing outside this family depends on it. */
export const aksVersionsPreflightId = "preflight/aks-versions";

export interface AksVersionsState {
  /** Minor versions the region offers, e.g. ["1.32", "1.33"]. */
  readonly versions: readonly string[];
  readonly defaultVersion?: string;
  /** The version clusters get: the pinned one, or the region's default. */
  readonly chosen?: string;
}

/** The region offers AKS, and the requested Kubernetes version (if pinned) is among its versions. */
export function aksVersionsPreflightStep(deps: StepDeps): Step<AksVersionsState> {
  const location = deps.answers.azure.location;
  const pinned = deps.answers.azure.aks.version;
  return {
    id: aksVersionsPreflightId,
    title: `AKS is offered in ${location}${pinned ? ` with Kubernetes ${pinned}` : ""}`,
    group: "preflight",
    dependsOn: [ids.preflight.credential],
    async detect(ctx) {
      let result;
      try {
        result = await deps.azure.aks.managedClusters.listKubernetesVersions(location, {
          abortSignal: ctx.signal,
        });
      } catch (err) {
        const status = statusCode(err);
        if (status === 404 || status === 400)
          throw new UserError(
            `Checking AKS in ${location}: the region does not offer Azure Kubernetes Service to this subscription.`,
            "Pick another region in azure.location (see `az aks get-versions -l REGION`), then rerun.",
            { cause: err },
          );
        throw azureFailure(`listing Kubernetes versions in ${location}`, err);
      }
      const entries = (result.values ?? []).filter((v) => v.version && !v.isPreview);
      const versions = entries.map((v) => v.version as string);
      const defaultVersion = entries.find((v) => v.isDefault)?.version;
      if (!versions.length)
        throw new UserError(
          `Checking AKS in ${location}: no Kubernetes version is offered there.`,
          "Pick another region in azure.location, then rerun.",
        );
      if (pinned) {
        const minor = pinned.split(".").slice(0, 2).join(".");
        const entry = entries.find((v) => v.version === minor);
        const ok = entry && (pinned === minor || Object.keys(entry.patchVersions ?? {}).includes(pinned));
        if (!ok)
          throw new UserError(
            `Checking AKS in ${location}: Kubernetes ${pinned} is not offered (offered: ${versions.join(", ")}).`,
            `Set azure.aks.version to one of ${versions.join(", ")} (or remove it to use the default${defaultVersion ? `, ${defaultVersion}` : ""}), then rerun.`,
          );
      }
      const chosen = pinned ?? defaultVersion;
      return { versions, ...(defaultVersion ? { defaultVersion } : {}), ...(chosen ? { chosen } : {}) };
    },
    diff(observed) {
      return { kind: "noop", ...(observed?.chosen ? { notes: [`Kubernetes ${observed.chosen}`] } : {}) };
    },
    async apply() {},
  };
}
