import type { Change, FieldDiff, Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type Side } from "../ids.js";
import type { ObservedResourceGroup } from "../observed.js";
import {
  azureFailure,
  callOptions,
  getOrUndefined,
  mergedTags,
  resourceGroupName,
  tagDiffs,
} from "./common.js";
import { removeResourceGroup, taggedOurs } from "./teardown.js";
import { existingInGroup } from "./existing.js";

export interface ResourceGroupState extends ObservedResourceGroup {
  readonly tags: Readonly<Record<string, string>>;
}

/** Resource group of one side. Owned: existence and our tags; its location is fixed at creation. */
export function resourceGroupStep(
  deps: StepDeps,
  side: Side,
  dependsOn: readonly string[],
): Step<ResourceGroupState> {
  const name = resourceGroupName(deps, side);
  const location = deps.answers.azure.location;
  // A group that holds an existing resource (azure.existing) is never deleted: that would take
  // the resource along. Destroy then removes aks-bootstrap's own resources in it one by one.
  const existing = existingInGroup(deps, name);
  const toState = (rg: { id?: string; name?: string; location: string; tags?: Record<string, string> }) => ({
    id: rg.id ?? "",
    name: rg.name ?? name,
    location: rg.location,
    tags: rg.tags ?? {},
  });
  return {
    id: ids.azure.resourceGroup(side),
    title: `Resource group ${name}`,
    group: "azure",
    dependsOn,
    async detect(ctx) {
      const rg = await getOrUndefined(() =>
        deps.azure.resources.resourceGroups.get(name, callOptions(deps, ctx)),
      );
      return rg ? toState(rg) : undefined;
    },
    diff(observed): Change {
      if (!observed) return { kind: "create", summary: `resource group ${name} in ${location}` };
      const fields: FieldDiff[] = tagDiffs(observed.tags, deps);
      const notes =
        observed.location !== location
          ? [`exists in ${observed.location}, not ${location}: kept (a resource group cannot move)`]
          : undefined;
      return fields.length
        ? { kind: "update", fields, ...(notes ? { notes } : {}) }
        : { kind: "noop", ...(notes ? { notes } : {}) };
    },
    teardown: {
      // Only a group carrying our tag; the delete takes everything in it along (and refuses
      // when the group also holds resources without our tag).
      owned: (o) => taggedOurs(o.tags) && existing.length === 0,
      ...(existing.length
        ? {
            kept: `kept: it holds existing ${existing.join(", ")} (not created by aks-bootstrap); aks-bootstrap's own resources in it are deleted one by one`,
          }
        : {}),
      remove: (_o, ctx) => removeResourceGroup(deps, side, ctx),
    },
    async apply(_change, observed, ctx) {
      try {
        const rg = await deps.azure.resources.resourceGroups.createOrUpdate(
          name,
          { location: observed?.location ?? location, tags: mergedTags(observed?.tags, deps) },
          callOptions(deps, ctx),
        );
        return toState(rg);
      } catch (err) {
        throw azureFailure(`creating resource group ${name}`, err);
      }
    },
  };
}
