import type { Ctx } from "./context.js";
import { bodyObject, identityJson, list, obj, ok, str } from "./context.js";
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

interface Update {
  readonly key: string;
  readonly type: string;
  readonly id: string;
  readonly all?: boolean;
  readonly pipelines: readonly { id: number; authorized: boolean }[];
}

/** Validates one resource's update (resource and pipelines must exist) without applying it. */
function parseUpdate(
  ctx: Ctx,
  projectId: string,
  type: string,
  id: string,
  body: Record<string, unknown>,
): Update {
  resolveResource(ctx, projectId, type, id);
  let all: boolean | undefined;
  if (body.allPipelines !== undefined && body.allPipelines !== null) {
    const a = obj(body.allPipelines);
    if (!a || typeof a.authorized !== "boolean")
      throw errors.badRequest("allPipelines.authorized must be a boolean.", "InvalidRequestException");
    all = a.authorized;
  }
  const pipelines: { id: number; authorized: boolean }[] = [];
  if (body.pipelines !== undefined && body.pipelines !== null) {
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
      if (!def || def.projectId !== projectId) throw errors.definitionNotFound(String(pid));
      pipelines.push({ id: pid, authorized: po.authorized });
    }
  }
  return { key: key(projectId, type, id), type, id, ...(all !== undefined ? { all } : {}), pipelines };
}

function applyUpdate(ctx: Ctx, u: Update) {
  const rec: PipelinePermissionRecord = ctx.state.pipelinePermissions[u.key] ?? {
    allPipelines: null,
    pipelines: [],
  };
  const now = ctx.nowIso();
  if (u.all !== undefined)
    rec.allPipelines = u.all ? { authorized: true, authorizedBy: ctx.identity, authorizedOn: now } : null;
  for (const p of u.pipelines) {
    rec.pipelines = rec.pipelines.filter((x) => x.id !== p.id);
    if (p.authorized)
      rec.pipelines.push({ id: p.id, authorized: true, authorizedBy: ctx.identity, authorizedOn: now });
  }
  rec.pipelines.sort((a, b) => a.id - b.id);
  ctx.state.pipelinePermissions[u.key] = rec;
  ctx.changed();
  return permissionJson(ctx, u.type, u.id, rec);
}

function updatePermissions(ctx: Ctx) {
  const project = requireProject(ctx);
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "resourceAuthorization");
  const u = parseUpdate(ctx, project.id, ctx.params.resourceType ?? "", ctx.params.resourceId ?? "", body);
  return ok(applyUpdate(ctx, u));
}

/** `PATCH {project}/_apis/pipelines/pipelinePermissions`: several resources at once, all or nothing. */
function updateManyPermissions(ctx: Ctx) {
  const project = requireProject(ctx);
  const body = ctx.req.body;
  if (!Array.isArray(body)) throw errors.argument("Value cannot be null.", "resourceAuthorizations");
  const updates = body.map((entry) => {
    const e = obj(entry);
    const resource = obj(e?.resource);
    const type = str(resource?.type);
    const id = resource?.id === undefined || resource?.id === null ? undefined : String(resource.id);
    if (!e || !type || !id) throw errors.argument("Value cannot be null.", "resourceAuthorization.Resource");
    return parseUpdate(ctx, project.id, type, id, e);
  });
  return list(updates.map((u) => applyUpdate(ctx, u)));
}

export const pipelinePermissionRoutes: Route[] = [
  {
    id: "b5b9a4a4-e6cd-4096-853c-ab7d8b0c4eb2",
    area: "pipelinePermissions",
    resource: "pipelinePermissions",
    template: "{project}/_apis/pipelines/pipelinePermissions/{resourceType}/{resourceId}",
    resourceVersion: 1,
    methods: {
      GET: getPermissions,
      PATCH: (ctx) =>
        ctx.params.resourceType === undefined ? updateManyPermissions(ctx) : updatePermissions(ctx),
    },
  },
];
