import type { Ctx } from "./context.js";
import { bodyObject, identityJson, obj, ok } from "./context.js";
import { errors } from "./errors.js";
import { requireProject } from "./environments.js";
import { resolveResource } from "./resources.js";
import type { Route } from "./router.js";
import type { PipelinePermissionRecord } from "./state.js";

function key(projectId: string, type: string, id: string) {
  return `${projectId}/${type.toLowerCase()}/${id.toLowerCase()}`;
}

function permissionJson(ctx: Ctx, type: string, id: string, rec: PipelinePermissionRecord) {
  const who = (x: { authorizedBy?: { id: string; displayName: string; uniqueName: string } }) =>
    x.authorizedBy ? { authorizedBy: identityJson(ctx, x.authorizedBy) } : {};
  return {
    resource: { type, id },
    ...(rec.allPipelines
      ? {
          allPipelines: {
            authorized: rec.allPipelines.authorized,
            ...who(rec.allPipelines),
            authorizedOn: rec.allPipelines.authorizedOn,
          },
        }
      : {}),
    pipelines: rec.pipelines.map((p) => ({
      id: p.id,
      authorized: p.authorized,
      ...who(p),
      authorizedOn: p.authorizedOn,
    })),
  };
}

function getPermissions(ctx: Ctx) {
  const project = requireProject(ctx);
  const type = ctx.params.resourceType ?? "";
  const id = ctx.params.resourceId ?? "";
  resolveResource(ctx, project.id, type, id);
  const rec = ctx.state.pipelinePermissions[key(project.id, type, id)] ?? {
    allPipelines: null,
    pipelines: [],
  };
  return ok(permissionJson(ctx, type, id, rec));
}

function updatePermissions(ctx: Ctx) {
  const project = requireProject(ctx);
  const type = ctx.params.resourceType ?? "";
  const id = ctx.params.resourceId ?? "";
  resolveResource(ctx, project.id, type, id);
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "resourceAuthorization");
  const k = key(project.id, type, id);
  const rec: PipelinePermissionRecord = ctx.state.pipelinePermissions[k] ?? {
    allPipelines: null,
    pipelines: [],
  };
  const now = ctx.nowIso();
  if (body.allPipelines !== undefined && body.allPipelines !== null) {
    const all = obj(body.allPipelines);
    if (!all || typeof all.authorized !== "boolean")
      throw errors.badRequest("allPipelines.authorized must be a boolean.", "InvalidRequestException");
    rec.allPipelines = all.authorized
      ? { authorized: true, authorizedBy: ctx.identity, authorizedOn: now }
      : null;
  }
  if (body.pipelines !== undefined) {
    if (!Array.isArray(body.pipelines))
      throw errors.badRequest("pipelines must be an array.", "InvalidRequestException");
    for (const p of body.pipelines) {
      const po = obj(p);
      const pid = po?.id;
      if (typeof pid !== "number" || !Number.isInteger(pid) || typeof po?.authorized !== "boolean") {
        throw errors.badRequest(
          "Each pipeline entry needs an integer id and a boolean authorized.",
          "InvalidRequestException",
        );
      }
      const def = ctx.state.definitions[String(pid)];
      if (!def || def.projectId !== project.id) throw errors.definitionNotFound(String(pid));
      rec.pipelines = rec.pipelines.filter((x) => x.id !== pid);
      if (po.authorized)
        rec.pipelines.push({ id: pid, authorized: true, authorizedBy: ctx.identity, authorizedOn: now });
    }
    rec.pipelines.sort((a, b) => a.id - b.id);
  }
  ctx.state.pipelinePermissions[k] = rec;
  ctx.changed();
  return ok(permissionJson(ctx, type, id, rec));
}

export const pipelinePermissionRoutes: Route[] = [
  {
    id: "b5b9a4a4-e6cd-4096-853c-ab7d8b0c4eb2",
    area: "pipelinePermissions",
    resource: "pipelinePermissions",
    template: "{project}/_apis/pipelines/pipelinePermissions/{resourceType}/{resourceId}",
    resourceVersion: 1,
    methods: { GET: getPermissions, PATCH: updatePermissions },
  },
];
