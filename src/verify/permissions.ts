import type { StepDeps } from "../../steps/deps.js";
import { findEndpoint } from "../../steps/devops/endpoints.js";
import { createPermissionsCache, type ResourceType } from "../../steps/devops/permissions-cache.js";
import { pipelineResources } from "../../steps/devops/variables.js";

/** A protected resource a pipeline uses but is not authorized for. */
export interface MissingPermission {
  readonly type: ResourceType;
  readonly name: string;
  /** What the Azure DevOps UI calls it. */
  readonly label: string;
}

const LABEL: Record<ResourceType, string> = {
  endpoint: "service connection",
  variablegroup: "variable group",
  environment: "environment",
};

/**
 * The resources `kind`'s YAML uses (the same table the pipeline permissions step converges)
 * that the pipeline is not authorized for, read from the pipelinePermissions API. A run
 * "waiting for permission" is waiting for one of these.
 */
export async function missingPermissions(
  deps: StepDeps,
  projectId: string,
  pipelineId: number,
  kind: "ci" | "cd",
): Promise<MissingPermission[]> {
  const uses = pipelineResources(deps.names, deps.answers.keyVault.secrets.length > 0)[kind];
  const api = await deps.devops.api();
  const agent = await api.getTaskAgentApi();
  const idOf = async (type: ResourceType, name: string): Promise<string | undefined> => {
    if (type === "endpoint") return (await findEndpoint(deps, projectId, name))?.id ?? undefined;
    if (type === "environment") {
      const list = (await agent.getEnvironments(projectId, name)) ?? [];
      const id = list.find((e) => e.name?.toLowerCase() === name.toLowerCase())?.id;
      return id !== undefined ? String(id) : undefined;
    }
    const groups = (await agent.getVariableGroups(projectId, name)) ?? [];
    const id = groups.find((g) => g.name?.toLowerCase() === name.toLowerCase())?.id;
    return id !== undefined ? String(id) : undefined;
  };
  const cache = createPermissionsCache(deps);
  const wanted: { type: ResourceType; name: string }[] = [
    ...uses.environments.map((name) => ({ type: "environment" as const, name })),
    ...uses.serviceConnections.map((name) => ({ type: "endpoint" as const, name })),
    ...uses.variableGroups.map((name) => ({ type: "variablegroup" as const, name })),
  ];
  const checked = await Promise.all(
    wanted.map(async (r) => {
      const id = await idOf(r.type, r.name);
      if (!id) return { ...r, label: LABEL[r.type], missing: true };
      const p = await cache.read(projectId, r.type, id);
      const ok =
        p.allPipelines?.authorized === true ||
        (p.pipelines ?? []).some((x) => x.id === pipelineId && x.authorized === true);
      return { ...r, label: LABEL[r.type], missing: !ok };
    }),
  );
  return checked.filter((r) => r.missing).map(({ type, name, label }) => ({ type, name, label }));
}
