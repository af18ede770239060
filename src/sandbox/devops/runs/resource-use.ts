import type { DevopsState, EnvironmentRecord, ServiceEndpointRecord, VariableGroupRecord } from "../state.js";

/**
 * The protected resources a stage uses (service connections named by task inputs, variable
 * groups, environments of deployment jobs), looked up by name as Azure Pipelines does, and
 * whether the pipeline is authorized for each (pipeline-permissions.ts stores the grants).
 */
export interface UsedResource {
  readonly type: "endpoint" | "variablegroup" | "environment";
  readonly id: string;
  readonly name: string;
}

/** Task inputs that name a service connection. */
export const CONNECTION_INPUTS = [
  "azureSubscription",
  "azureSubscriptionConnection",
  "azureSubscriptionEndpoint",
  "connectedServiceName",
  "connectedServiceNameARM",
  "containerRegistry",
  "dockerRegistryServiceConnection",
  "kubernetesServiceConnection",
  "kubernetesServiceEndpoint",
];

export function findEndpoint(
  state: DevopsState,
  projectId: string,
  nameOrId: string,
): ServiceEndpointRecord | undefined {
  const key = nameOrId.toLowerCase();
  return Object.values(state.serviceEndpoints).find(
    (e) =>
      (e.id.toLowerCase() === key || e.name.toLowerCase() === key) &&
      e.projectReferences.some((r) => r.projectId === projectId),
  );
}

export function findGroup(
  state: DevopsState,
  projectId: string,
  name: string,
): VariableGroupRecord | undefined {
  return Object.values(state.variableGroups).find(
    (g) =>
      g.name.toLowerCase() === name.toLowerCase() &&
      g.projectReferences.some((r) => r.projectId === projectId),
  );
}

export function findEnvironmentByName(
  state: DevopsState,
  projectId: string,
  name: string,
): EnvironmentRecord | undefined {
  const byName = (n: string) =>
    Object.values(state.environments).find(
      (e) => e.projectId === projectId && e.name.toLowerCase() === n.toLowerCase(),
    );
  // `environment: env.resource` targets a resource of the environment `env`.
  return byName(name) ?? (name.includes(".") ? byName(name.slice(0, name.indexOf("."))) : undefined);
}

export function isAuthorized(
  state: DevopsState,
  projectId: string,
  definitionId: number,
  r: UsedResource,
): boolean {
  const rec = state.pipelinePermissions[`${projectId}/${r.type}/${r.id.toLowerCase()}`];
  if (!rec) return false;
  return (
    rec.allPipelines?.authorized === true || rec.pipelines.some((p) => p.id === definitionId && p.authorized)
  );
}
