import { existingKinds, parseArmId, type ArmId, type ExistingKind } from "../../src/answers/arm-id.js";
import type { Answers } from "../../src/answers/schema.js";
import { UserError } from "../../src/engine/errors.js";
import type { Change, Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type Side } from "../ids.js";
import { azureFailure, getOrUndefined, peek } from "./common.js";

/** Keys of `azure.existing` in the answers. */
export type ExistingKey = keyof Answers["azure"]["existing"];

export const existingKindOf: Readonly<Record<ExistingKey, ExistingKind>> = {
  clusterStaging: "aksCluster",
  clusterProd: "aksCluster",
  registryNonprod: "registry",
  registryProd: "registry",
  keyVault: "keyVault",
  workspaceNonprod: "workspace",
  workspaceProd: "workspace",
  appInsightsStaging: "appInsights",
  appInsightsProd: "appInsights",
};

/** The existing resource the answers name under `azure.existing.<key>`, if any. */
export function existingId(deps: StepDeps, key: ExistingKey): ArmId | undefined {
  const id = deps.answers.azure.existing[key];
  return id ? parseArmId(id) : undefined;
}

/** The existing resources (azure.existing) that live in resource group `name` of the run's subscription. */
export function existingInGroup(deps: StepDeps, name: string): string[] {
  return (Object.keys(existingKindOf) as ExistingKey[]).flatMap((key) => {
    const armId = existingId(deps, key);
    const here =
      armId !== undefined &&
      armId.resourceGroup.toLowerCase() === name.toLowerCase() &&
      armId.subscriptionId.toLowerCase() === deps.target.subscriptionId.toLowerCase();
    return here ? [armId.id] : [];
  });
}

/** What the existing-resources preflight read, by `azure.existing` key, for the steps to reuse. */
export interface ExistingResourcesState {
  readonly resources: Readonly<Partial<Record<ExistingKey, unknown>>>;
}

/** The line the plan and destroy show for an existing resource. */
export function useExistingNote(id: string): string {
  return `use existing ${id} (aks-bootstrap grants roles on it, never changes or deletes it)`;
}

/** Reads an existing resource with its kind's SDK client; undefined when it does not exist. */
export async function readExisting(
  deps: StepDeps,
  key: ExistingKey,
  armId: ArmId,
  signal: AbortSignal,
): Promise<unknown> {
  const { resourceGroup: rg, name } = armId;
  const options = { abortSignal: signal };
  switch (existingKindOf[key]) {
    case "aksCluster":
      return getOrUndefined(() => deps.azure.aks.managedClusters.get(rg, name, options));
    case "registry":
      return getOrUndefined(() => deps.azure.registry.registries.get(rg, name, options));
    case "keyVault":
      return getOrUndefined(() => deps.azure.keyVault.vaults.get(rg, name, options));
    case "workspace":
      return getOrUndefined(() => deps.azure.logs.workspaces.get(rg, name, options));
    case "appInsights":
      return getOrUndefined(() => deps.azure.appInsights.components.get(rg, name, options));
  }
}

export interface ExistingStepSpec<R, S> {
  readonly id: string;
  readonly key: ExistingKey;
  /** The side whose resource group the run's Azure writes wait for (and so preflight). */
  readonly side: Side;
  readonly toState: (resource: R, armId: ArmId) => S;
}

/**
 * A resource the answers name by id instead of letting aks-bootstrap create it: detected only
 * (preflight already checked it has what the pipelines need), never changed, and kept by
 * destroy. Its observed state is the same as the created kind's, so role assignments, variable
 * groups and service connections use it unchanged.
 */
export function existingStep<R, S>(deps: StepDeps, spec: ExistingStepSpec<R, S>): Step<S> {
  const armId = existingId(deps, spec.key)!;
  const label = existingKinds[existingKindOf[spec.key]].label;
  const field = `azure.existing.${spec.key}`;
  return {
    id: spec.id,
    title: `${label.charAt(0).toUpperCase()}${label.slice(1)} ${armId.name} (existing, in ${armId.resourceGroup})`,
    group: "azure",
    // Through the resource group the step waits for every preflight, so it reuses their reads.
    dependsOn: [ids.azure.resourceGroup(spec.side)],
    async detect(ctx) {
      const seen = peek<ExistingResourcesState>(ctx, ids.preflight.existingResources)?.resources[spec.key];
      let resource = seen as R | undefined;
      if (resource === undefined) {
        try {
          resource = (await readExisting(deps, spec.key, armId, ctx.signal)) as R | undefined;
        } catch (err) {
          throw azureFailure(`reading the existing ${label} ${armId.id} (${field})`, err);
        }
      }
      if (resource === undefined)
        throw new UserError(
          `Reading the existing ${label} ${armId.id} (${field}): it was not found.`,
          `Check ${field} in the answers file (\`az resource show --ids ${armId.id}\`), or remove it to let aks-bootstrap create one.`,
        );
      return spec.toState(resource, armId);
    },
    diff(): Change {
      return { kind: "noop", notes: [useExistingNote(armId.id)] };
    },
    async apply() {},
    teardown: {
      owned: () => false,
      kept: `kept: existing ${label} ${armId.id} (not created by aks-bootstrap)`,
      async remove() {},
    },
  };
}
