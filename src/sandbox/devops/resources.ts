import type { Ctx } from "./context.js";
import { errors } from "./errors.js";

/** Protected resources that checks and pipeline permissions attach to. */
const TYPES = ["environment", "endpoint", "variablegroup", "queue", "securefile", "repository", "agentpool"];

/** Validates a (type, id) pair against the project's objects; returns its display name. */
export function resolveResource(ctx: Ctx, projectId: string, type: string, id: string): { name?: string } {
  const t = type.toLowerCase();
  if (!TYPES.includes(t)) {
    throw errors.badRequest(
      `Resource type '${type}' is not valid. Valid types are ${TYPES.join(", ")}.`,
      "InvalidResourceTypeException",
    );
  }
  if (t === "environment") {
    const e = ctx.state.environments[id];
    if (!e || e.projectId !== projectId) throw errors.environmentNotFound(id);
    return { name: e.name };
  }
  if (t === "endpoint") {
    const e = ctx.state.serviceEndpoints[id.toLowerCase()];
    if (!e || !e.projectReferences.some((r) => r.projectId === projectId)) throw errors.endpointNotFound(id);
    return { name: e.name };
  }
  if (t === "variablegroup") {
    const g = ctx.state.variableGroups[id];
    if (!g || !g.projectReferences.some((r) => r.projectId === projectId))
      throw errors.variableGroupNotFound(id);
    return { name: g.name };
  }
  if (t === "repository") {
    // Repository resources are named "{projectId}.{repositoryId}".
    const repoId = id.includes(".") ? id.slice(id.indexOf(".") + 1) : id;
    const r = ctx.state.repositories[repoId.toLowerCase()];
    if (!r || r.projectId !== projectId) throw errors.repoNotFound(id);
    return { name: r.name };
  }
  return {};
}
