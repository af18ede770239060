import type { Ctx } from "./context.js";
import { bodyObject, list, noContent, ok, query, str } from "./context.js";
import { errors } from "./errors.js";
import { isValidEnvironmentName } from "./names.js";
import type { Route } from "./router.js";
import type { EnvironmentRecord, ProjectRecord } from "./state.js";

export function requireProject(ctx: Ctx): ProjectRecord {
  if (!ctx.project) throw errors.argument("Value cannot be null.", "project");
  return ctx.project;
}

function envJson(ctx: Ctx, e: EnvironmentRecord) {
  const project = ctx.state.projects[e.projectId];
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    createdBy: { id: e.createdBy.id },
    createdOn: e.createdOn,
    lastModifiedBy: { id: e.createdBy.id },
    lastModifiedOn: e.lastModifiedOn,
    project: { id: e.projectId, name: project?.name ?? e.projectId },
  };
}

export function findEnvironment(ctx: Ctx, projectId: string, id: string): EnvironmentRecord | undefined {
  const e = ctx.state.environments[id];
  return e && e.projectId === projectId ? e : undefined;
}

function addEnvironment(ctx: Ctx) {
  const project = requireProject(ctx);
  const body = bodyObject(ctx);
  const name = str(body?.name);
  if (!body || name === undefined)
    throw errors.argument("Value cannot be null.", "environmentCreateParameter.Name");
  if (!isValidEnvironmentName(name)) {
    throw errors.badRequest(
      `Environment name '${name}' is not valid. Name must not be empty, longer than 256 characters, or contain any of \\ / : * ? " < > |.`,
      "ArgumentException",
      ["Microsoft.TeamFoundation.DistributedTask.WebApi", "Microsoft.TeamFoundation.DistributedTask.WebApi"],
    );
  }
  const lower = name.toLowerCase();
  if (
    Object.values(ctx.state.environments).some(
      (e) => e.projectId === project.id && e.name.toLowerCase() === lower,
    )
  )
    throw errors.environmentExists(name);
  const now = ctx.nowIso();
  const rec: EnvironmentRecord = {
    id: ctx.state.counters.environment++,
    projectId: project.id,
    name,
    description: str(body.description) ?? "",
    createdBy: ctx.identity,
    createdOn: now,
    lastModifiedOn: now,
  };
  ctx.state.environments[String(rec.id)] = rec;
  ctx.changed();
  return ok(envJson(ctx, rec));
}

function getEnvironments(ctx: Ctx) {
  const project = requireProject(ctx);
  const id = ctx.params.environmentId;
  if (id !== undefined) {
    const e = findEnvironment(ctx, project.id, id);
    if (!e) throw errors.environmentNotFound(id);
    return ok(envJson(ctx, e));
  }
  const name = query(ctx, "name")?.toLowerCase();
  const items = Object.values(ctx.state.environments)
    .filter((e) => e.projectId === project.id && (!name || e.name.toLowerCase() === name))
    .sort((a, b) => a.id - b.id);
  return list(items.map((e) => envJson(ctx, e)));
}

function deleteEnvironment(ctx: Ctx) {
  const project = requireProject(ctx);
  const id = ctx.params.environmentId ?? "";
  const e = findEnvironment(ctx, project.id, id);
  if (!e) throw errors.environmentNotFound(id);
  delete ctx.state.environments[id];
  for (const [k, c] of Object.entries(ctx.state.checks))
    if (c.resource.type === "environment" && c.resource.id === id) delete ctx.state.checks[k];
  ctx.changed();
  return noContent();
}

function updateEnvironment(ctx: Ctx) {
  const project = requireProject(ctx);
  const id = ctx.params.environmentId ?? "";
  const e = findEnvironment(ctx, project.id, id);
  if (!e) throw errors.environmentNotFound(id);
  const body = bodyObject(ctx) ?? {};
  const name = str(body.name);
  if (name !== undefined) {
    if (!isValidEnvironmentName(name))
      throw errors.badRequest(`Environment name '${name}' is not valid.`, "ArgumentException");
    const lower = name.toLowerCase();
    if (
      Object.values(ctx.state.environments).some(
        (x) => x !== e && x.projectId === project.id && x.name.toLowerCase() === lower,
      )
    )
      throw errors.environmentExists(name);
    e.name = name;
  }
  const description = str(body.description);
  if (description !== undefined) e.description = description;
  e.lastModifiedOn = ctx.nowIso();
  ctx.changed();
  return ok(envJson(ctx, e));
}

export const environmentRoutes: Route[] = [
  {
    id: "8572b1fc-2482-47fa-8f74-7e3ed53ee54b",
    area: "distributedtask",
    resource: "environments",
    template: "{project}/_apis/pipelines/environments/{environmentId}",
    resourceVersion: 1,
    methods: {
      POST: addEnvironment,
      GET: getEnvironments,
      PATCH: updateEnvironment,
      DELETE: deleteEnvironment,
    },
  },
];
