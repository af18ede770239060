import type { Change, Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type Side } from "../ids.js";
import { writeThenRead } from "./retry.js";
import {
  azureFailure,
  callOptions,
  getOrUndefined,
  mergedTags,
  resourceGroupName,
  tagDiffs,
} from "./common.js";
import { deleteQuietly, taggedTeardown } from "./teardown.js";
import { existingId, existingStep } from "./existing.js";

export interface WorkspaceState {
  readonly id: string;
  readonly name: string;
  readonly customerId?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export function workspaceName(deps: StepDeps, side: Side): string {
  return side === "nonprod" ? deps.names.workspaceNonprod : deps.names.workspaceProd;
}

/**
 * Log Analytics workspace of one side (production monitoring stays separate). Owned: existence
 * and tags. Retention and SKU are set at creation and then belong to the operator.
 */
export function workspaceStep(deps: StepDeps, side: Side): Step<WorkspaceState> {
  const name = workspaceName(deps, side);
  const rg = resourceGroupName(deps, side);
  const toState = (w: {
    id?: string;
    name?: string;
    customerId?: string;
    tags?: Record<string, string>;
  }) => ({
    id: w.id ?? "",
    name: w.name ?? name,
    ...(w.customerId ? { customerId: w.customerId } : {}),
    tags: w.tags ?? {},
  });
  const key = side === "nonprod" ? "workspaceNonprod" : "workspaceProd";
  if (existingId(deps, key)) return existingStep(deps, { id: ids.azure.workspace(side), key, side, toState });
  return {
    id: ids.azure.workspace(side),
    title: `Log Analytics workspace ${name}`,
    group: "azure",
    dependsOn: [ids.azure.resourceGroup(side)],
    async detect(ctx) {
      if (!ctx.observed(ids.azure.resourceGroup(side))) return undefined;
      const w = await getOrUndefined(() => deps.azure.logs.workspaces.get(rg, name, callOptions(deps, ctx)));
      return w ? toState(w) : undefined;
    },
    diff(observed): Change {
      if (!observed) return { kind: "create", summary: `workspace ${name} (PerGB2018, 30 days)` };
      const fields = tagDiffs(observed.tags, deps);
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    teardown: taggedTeardown(
      side,
      (o) => o.tags,
      (_o, ctx) =>
        deleteQuietly(`deleting Log Analytics workspace ${name}`, () =>
          deps.azure.logs.workspaces.beginDeleteAndWait(rg, name, {
            abortSignal: ctx.signal,
            updateIntervalInMs: deps.azure.lro.updateIntervalInMs,
          }),
        ),
    ),
    async apply(_change, observed, ctx) {
      try {
        if (observed) {
          const w = await deps.azure.logs.workspaces.update(
            rg,
            name,
            { tags: mergedTags(observed.tags, deps) },
            callOptions(deps, ctx),
          );
          return toState(w);
        }
        const create = () =>
          deps.azure.logs.workspaces.beginCreateOrUpdateAndWait(
            rg,
            name,
            {
              location: deps.answers.azure.location,
              tags: mergedTags(undefined, deps),
              sku: { name: "PerGB2018" },
              retentionInDays: 30,
            },
            callOptions(deps, ctx),
          );
        const read = () => deps.azure.logs.workspaces.get(rg, name, { abortSignal: ctx.signal });
        return toState(await writeThenRead(deps, ctx, create, read));
      } catch (err) {
        throw azureFailure(`${observed ? "updating" : "creating"} Log Analytics workspace ${name}`, err);
      }
    },
  };
}
