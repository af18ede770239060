import { UserError } from "../../src/engine/errors.js";
import type { StepContext, Teardown } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type Side } from "../ids.js";
import { MANAGED_BY, azureFailure, isNotFound, resourceGroupName } from "./common.js";

/** True when a resource carries our `managed-by` tag: aks-bootstrap made (or adopted) it. */
export function taggedOurs(tags: Readonly<Record<string, string>> | undefined): boolean {
  return tags?.["managed-by"] === MANAGED_BY;
}

/** Runs a delete and treats "already gone" as done, so a repeated destroy is quiet. */
export async function deleteQuietly(doing: string, remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (err) {
    if (isNotFound(err)) return;
    throw azureFailure(doing, err);
  }
}

/**
 * Teardown of a tagged resource inside one of our resource groups. When its group is deleted
 * too (the usual case) the engine lets it go with the group; `remove` only runs when the group
 * is kept (e.g. someone took our tag off the group).
 */
export function taggedTeardown<O>(
  side: Side,
  tagsOf: (observed: O) => Readonly<Record<string, string>> | undefined,
  remove: (observed: O, ctx: StepContext) => Promise<void>,
  note?: string,
): Teardown<O> {
  return {
    owned: (o) => taggedOurs(tagsOf(o)),
    containedIn: ids.azure.resourceGroup(side),
    remove,
    ...(note ? { note } : {}),
  };
}

/**
 * Resources in the group that aks-bootstrap did not tag (AKS's own node resources live in
 * another group). Deleting the group would take them along, so destroy refuses instead.
 */
export async function foreignResources(deps: StepDeps, side: Side, ctx: StepContext): Promise<string[]> {
  const rg = resourceGroupName(deps, side);
  const foreign: string[] = [];
  for await (const r of deps.azure.resources.resources.listByResourceGroup(rg, { abortSignal: ctx.signal }))
    if (!taggedOurs(r.tags)) foreign.push(`${r.type ?? "resource"} ${r.name ?? r.id ?? ""}`);
  return foreign;
}

/** Deletes one of our resource groups (and so everything in it), after checking it holds only ours. */
export async function removeResourceGroup(deps: StepDeps, side: Side, ctx: StepContext): Promise<void> {
  const rg = resourceGroupName(deps, side);
  let foreign: string[];
  try {
    foreign = await foreignResources(deps, side, ctx);
  } catch (err) {
    if (isNotFound(err)) return;
    throw azureFailure(`listing the resources of resource group ${rg}`, err);
  }
  if (foreign.length)
    throw new UserError(
      `Deleting resource group ${rg}: it also holds resources aks-bootstrap did not create (${foreign.join(", ")}); it was kept.`,
      `Move those resources to another group (or delete them yourself), then rerun destroy.`,
    );
  ctx.progress(`deleting resource group ${rg} and everything in it`);
  await deleteQuietly(`deleting resource group ${rg}`, () =>
    deps.azure.resources.resourceGroups.beginDeleteAndWait(rg, {
      abortSignal: ctx.signal,
      updateIntervalInMs: deps.azure.lro.updateIntervalInMs,
    }),
  );
}
