import type { Change, FieldDiff, Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type Stage } from "../ids.js";
import { writeThenRead } from "./retry.js";
import type { ObservedAppInsights } from "../observed.js";
import {
  azureFailure,
  getOrUndefined,
  mergedTags,
  resourceGroupName,
  sameId,
  sideOf,
  tagDiffs,
} from "./common.js";
import { deleteQuietly, taggedTeardown } from "./teardown.js";
import type { WorkspaceState } from "./log-analytics.js";
import { existingId, existingStep } from "./existing.js";

export interface AppInsightsState extends ObservedAppInsights {
  readonly kind?: string;
  readonly applicationType?: string;
  readonly workspaceResourceId?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export function appInsightsName(deps: StepDeps, stage: Stage): string {
  return stage === "staging" ? deps.names.appInsightsStaging : deps.names.appInsightsProd;
}

/**
 * Workspace-based Application Insights of one stage, sending to its side's workspace
 * (staging -> non-prod workspace). Owned: kind, Application_Type, WorkspaceResourceId, tags.
 */
export function appInsightsStep(deps: StepDeps, stage: Stage): Step<AppInsightsState> {
  const side = sideOf(stage);
  const name = appInsightsName(deps, stage);
  const rg = resourceGroupName(deps, side);
  const workspaceStepId = ids.azure.workspace(side);
  type Component = Awaited<ReturnType<typeof deps.azure.appInsights.components.get>>;
  const toState = (c: Component): AppInsightsState => ({
    id: c.id ?? "",
    name: c.name ?? name,
    connectionString: c.connectionString ?? "",
    kind: c.kind,
    ...(c.applicationType ? { applicationType: c.applicationType } : {}),
    ...(c.workspaceResourceId ? { workspaceResourceId: c.workspaceResourceId } : {}),
    tags: c.tags ?? {},
  });
  const key = stage === "staging" ? "appInsightsStaging" : "appInsightsProd";
  if (existingId(deps, key))
    return existingStep<Component, AppInsightsState>(deps, {
      id: ids.azure.appInsights(stage),
      key,
      side,
      toState,
    });
  return {
    id: ids.azure.appInsights(stage),
    title: `Application Insights ${name}`,
    group: "azure",
    dependsOn: [workspaceStepId],
    async detect(ctx) {
      if (!ctx.observed(ids.azure.resourceGroup(side))) return undefined;
      const c = await getOrUndefined(() =>
        deps.azure.appInsights.components.get(rg, name, { abortSignal: ctx.signal }),
      );
      return c ? toState(c) : undefined;
    },
    diff(observed, ctx): Change {
      const workspaceId = ctx.observed<WorkspaceState>(workspaceStepId)?.id;
      if (!observed)
        return {
          kind: "create",
          summary: `workspace-based component ${name} on ${workspaceName(workspaceId)}`,
        };
      const fields: FieldDiff[] = [];
      if (observed.kind !== "web") fields.push({ field: "kind", from: observed.kind, to: "web" });
      if (observed.applicationType !== "web")
        fields.push({ field: "Application_Type", from: observed.applicationType, to: "web" });
      if (workspaceId && !sameId(observed.workspaceResourceId, workspaceId))
        fields.push({ field: "WorkspaceResourceId", from: observed.workspaceResourceId, to: workspaceId });
      fields.push(...tagDiffs(observed.tags, deps));
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    teardown: taggedTeardown(
      side,
      (o) => o.tags,
      (_o, ctx) =>
        deleteQuietly(`deleting Application Insights ${name}`, () =>
          deps.azure.appInsights.components.delete(rg, name, { abortSignal: ctx.signal }),
        ),
    ),
    async apply(_change, observed, ctx) {
      const workspaceId = ctx.observed<WorkspaceState>(workspaceStepId)?.id;
      try {
        const write = () =>
          deps.azure.appInsights.components.createOrUpdate(
            rg,
            name,
            {
              location: deps.answers.azure.location,
              kind: "web",
              applicationType: "web",
              workspaceResourceId: workspaceId,
              ingestionMode: "LogAnalytics",
              tags: mergedTags(observed?.tags, deps),
            },
            { abortSignal: ctx.signal },
          );
        const read = () => deps.azure.appInsights.components.get(rg, name, { abortSignal: ctx.signal });
        return toState(await writeThenRead(deps, ctx, write, read));
      } catch (err) {
        throw azureFailure(`${observed ? "updating" : "creating"} Application Insights ${name}`, err);
      }
    },
  };
}

function workspaceName(id: string | undefined): string {
  return id?.split("/").pop() ?? "its workspace";
}
