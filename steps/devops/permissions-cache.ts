import type { StepDeps } from "../deps.js";

const PERMISSIONS_API = "api-version=7.1-preview.1";
/** Long enough to span one plan or apply; short enough not to outlive a confirmation prompt. */
const FRESH_MS = 60_000;

export type ResourceType = "endpoint" | "variablegroup" | "environment";

/** A resource's pipeline permissions as the service reports them. */
export interface ResourcePipelinePermissions {
  allPipelines?: { authorized?: boolean } | null;
  pipelines?: { id: number; authorized?: boolean }[];
}

/**
 * The pipeline permissions of each resource, read once and shared by the three pipeline
 * permission steps (each looks at every managed resource, so separate reads would triple the
 * traffic). A write replaces the entry with the service's answer, which lists every pipeline.
 */
export interface PermissionsCache {
  read(projectId: string, type: ResourceType, id: string): Promise<ResourcePipelinePermissions>;
  /** PATCHes one pipeline's authorization (and optionally revokes open access); returns the new state. */
  write(
    projectId: string,
    type: ResourceType,
    id: string,
    pipelineId: number,
    authorized: boolean,
    revokeOpenAccess: boolean,
  ): Promise<ResourcePipelinePermissions>;
}

export function createPermissionsCache(deps: StepDeps): PermissionsCache {
  const entries = new Map<string, { at: number; value: Promise<ResourcePipelinePermissions> }>();
  const path = (projectId: string, type: ResourceType, id: string) =>
    `${projectId}/_apis/pipelines/pipelinePermissions/${type}/${encodeURIComponent(id)}?${PERMISSIONS_API}`;
  const key = (projectId: string, type: ResourceType, id: string) => `${projectId}/${type}/${id}`;
  return {
    read(projectId, type, id) {
      const k = key(projectId, type, id);
      const hit = entries.get(k);
      if (hit && Date.now() - hit.at < FRESH_MS) return hit.value;
      const value = deps.devops
        .rest<ResourcePipelinePermissions>("GET", path(projectId, type, id))
        .then((res) => (res.status === 200 && res.body ? res.body : {}));
      value.catch(() => entries.delete(k));
      entries.set(k, { at: Date.now(), value });
      return value;
    },
    async write(projectId, type, id, pipelineId, authorized, revokeOpenAccess) {
      const res = await deps.devops.rest<ResourcePipelinePermissions>("PATCH", path(projectId, type, id), {
        resource: { type, id },
        pipelines: [{ id: pipelineId, authorized }],
        ...(revokeOpenAccess ? { allPipelines: { authorized: false } } : {}),
      });
      if (res.status === 404) throw new Error(`${type} ${id} was not found (HTTP 404)`);
      const value = res.body ?? {};
      entries.set(key(projectId, type, id), { at: Date.now(), value: Promise.resolve(value) });
      return value;
    },
  };
}
