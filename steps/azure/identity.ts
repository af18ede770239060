import type { Change, Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type PipelineRole, type Side } from "../ids.js";
import { writeThenRead } from "./retry.js";
import type { ObservedIdentity } from "../observed.js";
import { azureFailure, getOrUndefined, mergedTags, resourceGroupName, tagDiffs } from "./common.js";
import { deleteQuietly, taggedTeardown } from "./teardown.js";

export interface IdentityState extends ObservedIdentity {
  readonly tags: Readonly<Record<string, string>>;
}

export function identityName(deps: StepDeps, role: PipelineRole): string {
  return { ci: deps.names.identityCi, staging: deps.names.identityStaging, prod: deps.names.identityProd }[
    role
  ];
}

/** CI and staging identities live on the non-production side, the prod one with production. */
export function identitySide(role: PipelineRole): Side {
  return role === "prod" ? "prod" : "nonprod";
}

/** User-assigned managed identity a pipeline signs in as (through its federated credential). */
export function identityStep(deps: StepDeps, role: PipelineRole): Step<IdentityState> {
  const name = identityName(deps, role);
  const side = identitySide(role);
  const rg = resourceGroupName(deps, side);
  type Identity = Awaited<ReturnType<typeof deps.azure.msi.userAssignedIdentities.get>>;
  const toState = (i: Identity): IdentityState => ({
    id: i.id ?? "",
    name: i.name ?? name,
    principalId: i.principalId ?? "",
    clientId: i.clientId ?? "",
    tenantId: i.tenantId ?? deps.answers.azure.tenantId,
    tags: i.tags ?? {},
  });
  return {
    id: ids.azure.identity(role),
    title: `Managed identity ${name}`,
    group: "azure",
    dependsOn: [ids.azure.resourceGroup(side)],
    async detect(ctx) {
      if (!ctx.observed(ids.azure.resourceGroup(side))) return undefined;
      const i = await getOrUndefined(() =>
        deps.azure.msi.userAssignedIdentities.get(rg, name, { abortSignal: ctx.signal }),
      );
      return i ? toState(i) : undefined;
    },
    diff(observed): Change {
      if (!observed)
        return { kind: "create", summary: `user-assigned identity ${name} for the ${role} pipeline` };
      const fields = tagDiffs(observed.tags, deps);
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    // Its federated credentials go with it.
    teardown: taggedTeardown(
      side,
      (o) => o.tags,
      (_o, ctx) =>
        deleteQuietly(`deleting managed identity ${name}`, () =>
          deps.azure.msi.userAssignedIdentities.delete(rg, name, { abortSignal: ctx.signal }),
        ),
    ),
    async apply(_change, observed, ctx) {
      try {
        const write = () =>
          deps.azure.msi.userAssignedIdentities.createOrUpdate(
            rg,
            name,
            { location: deps.answers.azure.location, tags: mergedTags(observed?.tags, deps) },
            { abortSignal: ctx.signal },
          );
        const read = () => deps.azure.msi.userAssignedIdentities.get(rg, name, { abortSignal: ctx.signal });
        return toState(await writeThenRead(deps, ctx, write, read));
      } catch (err) {
        throw azureFailure(`${observed ? "updating" : "creating"} managed identity ${name}`, err);
      }
    },
  };
}
