import type { Change, FieldDiff, Step } from "../../src/engine/types.js";
import type { DataCollectionRuleResource } from "@azure/arm-monitor";
import { containerInsightsDcrName } from "../../src/answers/names.js";
import type { StepDeps } from "../deps.js";
import { ids, type Stage } from "../ids.js";
import type { ObservedCluster } from "../observed.js";
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
import { clusterName } from "./aks.js";
import type { WorkspaceState } from "./log-analytics.js";
import { notYetVisible, parentNotYetVisible, retryPropagation } from "./retry.js";

export const CONTAINER_INSIGHTS_STREAM = "Microsoft-ContainerInsights-Group-Default";
/** The association name `az aks enable-addons -a monitoring` uses. */
export const ASSOCIATION_NAME = "ContainerInsightsExtension";
const DESTINATION = "ciworkspace";

export interface ContainerInsightsState {
  readonly dcr?: {
    readonly id: string;
    readonly name: string;
    readonly streamsToWorkspace: readonly string[];
    readonly tags: Readonly<Record<string, string>>;
  };
  readonly association?: { readonly dataCollectionRuleId?: string };
}

/**
 * Container Insights data collection rule MSCI-<region>-<cluster> (stream
 * Microsoft-ContainerInsights-Group-Default to the side's workspace) and its association with
 * the cluster. Owned: the stream routed to our workspace, tags, the association's rule.
 */
export function containerInsightsStep(deps: StepDeps, stage: Stage): Step<ContainerInsightsState> {
  const side = sideOf(stage);
  const cluster = clusterName(deps, stage);
  const location = deps.answers.azure.location;
  const dcrName = containerInsightsDcrName(location, cluster);
  const rg = resourceGroupName(deps, side);
  const workspaceStepId = ids.azure.workspace(side);
  const clusterStepId = ids.azure.cluster(stage);

  const streamsTo = (r: DataCollectionRuleResource, workspaceId: string | undefined): string[] => {
    const dests = (r.destinations?.logAnalytics ?? []).filter(
      (d) => !workspaceId || sameId(d.workspaceResourceId, workspaceId),
    );
    const names = new Set(dests.map((d) => d.name));
    return (r.dataFlows ?? [])
      .filter((f) => f.destinations?.some((d) => names.has(d)))
      .flatMap((f) => f.streams ?? []);
  };

  return {
    id: ids.azure.containerInsights(stage),
    title: `Container Insights for ${cluster}`,
    group: "azure",
    dependsOn: [workspaceStepId, clusterStepId],
    async detect(ctx) {
      const clusterId = ctx.observed<ObservedCluster>(clusterStepId)?.id;
      if (!ctx.observed(ids.azure.resourceGroup(side))) return undefined;
      const workspaceId = ctx.observed<WorkspaceState>(workspaceStepId)?.id;
      const [dcr, association] = await Promise.all([
        getOrUndefined(() =>
          deps.azure.monitor.dataCollectionRules.get(rg, dcrName, { abortSignal: ctx.signal }),
        ),
        clusterId
          ? getOrUndefined(() =>
              deps.azure.monitor.dataCollectionRuleAssociations.get(clusterId, ASSOCIATION_NAME, {
                abortSignal: ctx.signal,
              }),
            )
          : undefined,
      ]);
      if (!dcr && !association) return undefined;
      return {
        ...(dcr
          ? {
              dcr: {
                id: dcr.id ?? "",
                name: dcr.name ?? dcrName,
                streamsToWorkspace: streamsTo(dcr, workspaceId),
                tags: dcr.tags ?? {},
              },
            }
          : {}),
        ...(association
          ? {
              association: {
                ...(association.dataCollectionRuleId
                  ? { dataCollectionRuleId: association.dataCollectionRuleId }
                  : {}),
              },
            }
          : {}),
      };
    },
    diff(observed): Change {
      if (!observed)
        return {
          kind: "create",
          summary: `rule ${dcrName} (${CONTAINER_INSIGHTS_STREAM} to the workspace) and its association`,
        };
      const fields: FieldDiff[] = [];
      if (!observed.dcr)
        fields.push({ field: `data collection rule ${dcrName}`, from: "missing", to: "present" });
      else {
        if (!observed.dcr.streamsToWorkspace.includes(CONTAINER_INSIGHTS_STREAM))
          fields.push({
            field: "dataFlows",
            from: "no Container Insights stream to the workspace",
            to: CONTAINER_INSIGHTS_STREAM,
          });
        fields.push(...tagDiffs(observed.dcr.tags, deps));
      }
      if (!observed.association)
        fields.push({ field: `association ${ASSOCIATION_NAME}`, from: "missing", to: "present" });
      else if (observed.dcr && !sameId(observed.association.dataCollectionRuleId, observed.dcr.id))
        fields.push({
          field: "association.dataCollectionRuleId",
          from: observed.association.dataCollectionRuleId,
          to: observed.dcr.id,
        });
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    teardown: taggedTeardown(
      side,
      (o) => o.dcr?.tags,
      async (_o, ctx) => {
        const clusterId = ctx.observed<{ id: string }>(clusterStepId)?.id;
        if (clusterId)
          await deleteQuietly(`deleting the Container Insights association of ${cluster}`, () =>
            deps.azure.monitor.dataCollectionRuleAssociations.delete(clusterId, ASSOCIATION_NAME, {
              abortSignal: ctx.signal,
            }),
          );
        await deleteQuietly(`deleting data collection rule ${dcrName}`, () =>
          deps.azure.monitor.dataCollectionRules.delete(rg, dcrName, { abortSignal: ctx.signal }),
        );
      },
    ),
    async apply(_change, observed, ctx) {
      const workspaceId = ctx.observed<WorkspaceState>(workspaceStepId)?.id;
      const clusterId = ctx.observed<ObservedCluster>(clusterStepId)?.id;
      try {
        const dcr = await retryPropagation(deps, ctx, [parentNotYetVisible], () =>
          deps.azure.monitor.dataCollectionRules.create(rg, dcrName, {
            abortSignal: ctx.signal,
            body: {
              location,
              kind: "Linux",
              tags: mergedTags(observed?.dcr?.tags, deps),
              description: `Container Insights for ${cluster} (aks-bootstrap)`,
              dataSources: {
                extensions: [
                  {
                    name: "ContainerInsightsExtension",
                    extensionName: "ContainerInsights",
                    streams: [CONTAINER_INSIGHTS_STREAM],
                    extensionSettings: {
                      dataCollectionSettings: {
                        interval: "1m",
                        namespaceFilteringMode: "Off",
                        enableContainerLogV2: true,
                      },
                    },
                  },
                ],
              },
              destinations: { logAnalytics: [{ name: DESTINATION, workspaceResourceId: workspaceId }] },
              dataFlows: [{ streams: [CONTAINER_INSIGHTS_STREAM], destinations: [DESTINATION] }],
            },
          }),
        );
        if (!clusterId) throw new Error(`cluster ${cluster} has no resource id`);
        // The rule (or the cluster) may not be visible yet right after its creation.
        const association = await retryPropagation(deps, ctx, [notYetVisible], () =>
          deps.azure.monitor.dataCollectionRuleAssociations.create(clusterId, ASSOCIATION_NAME, {
            abortSignal: ctx.signal,
            body: { dataCollectionRuleId: dcr.id, description: "Container Insights (aks-bootstrap)" },
          }),
        );
        return {
          dcr: {
            id: dcr.id ?? "",
            name: dcrName,
            streamsToWorkspace: streamsTo(dcr, workspaceId),
            tags: dcr.tags ?? {},
          },
          association: {
            ...(association.dataCollectionRuleId
              ? { dataCollectionRuleId: association.dataCollectionRuleId }
              : {}),
          },
        };
      } catch (err) {
        throw azureFailure(`converging Container Insights for ${cluster}`, err);
      }
    },
  };
}
