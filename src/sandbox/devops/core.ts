import { randomUUID } from "node:crypto";
import type { Ctx } from "./context.js";
import { bodyObject, json, list, obj, ok, query, str } from "./context.js";
import { errors } from "./errors.js";
import { isValidProjectName } from "./names.js";
import type { Route } from "./router.js";
import type { DevopsState, ProjectRecord } from "./state.js";
import { createRepository } from "./git-repos.js";

/** The processes every organization has (ids are Microsoft's system process ids). */
export const PROCESSES = [
  {
    id: "adcc42ab-9882-485e-a3ed-7678f01f66bc",
    name: "Agile",
    description:
      "This template is flexible and will work great for most teams using Agile planning methods, including those practicing Scrum.",
    isDefault: true,
  },
  {
    id: "6b724908-ef14-45cf-84f8-768b5384da45",
    name: "Scrum",
    description: "This template is for teams who follow the Scrum framework.",
    isDefault: false,
  },
  {
    id: "27450541-8e31-4150-9947-dc59f998fc01",
    name: "CMMI",
    description:
      "This template is for more formal projects requiring a framework for process improvement and an auditable record of decisions.",
    isDefault: false,
  },
  {
    id: "b8a3a935-7e91-48b8-a94c-606d37c3e9f2",
    name: "Basic",
    description:
      "This template is flexible for any process and great for teams getting started with Azure DevOps.",
    isDefault: false,
  },
];

/** A project create takes several seconds in Azure DevOps (queued, then inProgress). */
const PROJECT_CREATE_MS = 12_000;
const PROJECT_DELETE_MS = 6_000;
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function findProject(state: DevopsState, nameOrId: string): ProjectRecord | undefined {
  const key = nameOrId.toLowerCase();
  return (
    state.projects[key] ??
    Object.values(state.projects).find((p) => p.name.toLowerCase() === key || p.id === key)
  );
}

export function projectRef(ctx: Ctx, p: ProjectRecord): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    ...(p.description !== undefined ? { description: p.description } : {}),
    url: `${ctx.orgUrl}/_apis/projects/${p.id}`,
    state: p.state,
    revision: p.revision,
    visibility: p.visibility,
    lastUpdateTime: p.lastUpdateTime,
  };
}

function projectJson(ctx: Ctx, p: ProjectRecord, includeCapabilities: boolean): Record<string, unknown> {
  const process = PROCESSES.find((x) => x.id === p.processTemplateId);
  return {
    ...projectRef(ctx, p),
    _links: {
      self: { href: `${ctx.orgUrl}/_apis/projects/${p.id}` },
      collection: { href: `${ctx.orgUrl}/_apis/projectCollections/${ctx.state.organizationId}` },
      web: { href: `${ctx.orgUrl}/${encodeURIComponent(p.name)}` },
    },
    ...(includeCapabilities
      ? {
          capabilities: {
            versioncontrol: {
              sourceControlType: p.sourceControlType,
              gitEnabled: String(p.sourceControlType === "Git"),
              tfvcEnabled: String(p.sourceControlType === "Tfvc"),
            },
            processTemplate: { templateName: process?.name ?? "Agile", templateTypeId: p.processTemplateId },
          },
        }
      : {}),
    defaultTeam: {
      id: teamIdFor(p.id),
      name: `${p.name} Team`,
      url: `${ctx.orgUrl}/_apis/projects/${p.id}/teams/${teamIdFor(p.id)}`,
    },
  };
}

function teamIdFor(projectId: string): string {
  return `${projectId.slice(0, 24)}${projectId.slice(24).split("").reverse().join("")}`;
}

/** Completes operations whose time has come: the project becomes wellFormed and gets its default repository. */
export function advanceOperations(state: DevopsState, now: number): boolean {
  let changed = false;
  for (const op of Object.values(state.operations)) {
    if (op.status === "succeeded" || op.status === "failed") continue;
    const elapsed = now - op.createdAt;
    const total = op.doneAt - op.createdAt;
    const next = elapsed >= total ? "succeeded" : elapsed >= total * 0.2 ? "inProgress" : "queued";
    if (next === op.status) continue;
    op.status = next;
    changed = true;
    if (next === "succeeded" && op.kind === "projectDelete") {
      purgeProject(state, op.projectId);
    } else if (next === "succeeded") {
      const p = state.projects[op.projectId];
      if (p && p.state !== "wellFormed") {
        p.state = "wellFormed";
        p.revision += 1;
        p.lastUpdateTime = new Date(now).toISOString();
        if (p.sourceControlType === "Git") createRepository(state, p, p.name);
      }
    }
  }
  return changed;
}

function listProjects(ctx: Ctx) {
  const top = Number(query(ctx, "$top") ?? "100");
  const skip = Number(query(ctx, "$skip") ?? "0");
  const stateFilter = query(ctx, "stateFilter") ?? "wellFormed";
  const all = Object.values(ctx.state.projects)
    .filter((p) => stateFilter.toLowerCase() === "all" || p.state.toLowerCase() === stateFilter.toLowerCase())
    .sort((a, b) => a.name.localeCompare(b.name));
  return list(all.slice(skip, skip + top).map((p) => projectRef(ctx, p)));
}

function getProject(ctx: Ctx) {
  const key = ctx.params.projectId ?? "";
  const p = findProject(ctx.state, key);
  if (!p) throw errors.projectNotFound(key);
  return ok(projectJson(ctx, p, query(ctx, "includeCapabilities") === "true"));
}

function createProject(ctx: Ctx) {
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "projectToCreate");
  const name = str(body.name);
  if (!name) throw errors.argument("Value cannot be null.", "projectToCreate.Name");
  if (!isValidProjectName(name)) throw errors.invalidProjectName(name);
  if (findProject(ctx.state, name)) throw errors.projectExists(name);
  const caps = obj(body.capabilities);
  const vc = obj(caps?.versioncontrol);
  const pt = obj(caps?.processTemplate);
  const sct = str(vc?.sourceControlType);
  const templateId = str(pt?.templateTypeId)?.toLowerCase();
  if (!caps || !sct || !templateId) {
    throw errors.badRequest(
      "The project information supplied to project create is not valid. You must provide all the required information (name, description, visibility, capabilities.versioncontrol.sourceControlType, capabilities.processTemplate.templateTypeId).",
      "ProjectCreateParameterValidationException",
    );
  }
  if (sct !== "Git" && sct !== "Tfvc")
    throw errors.badRequest(
      `The source control type '${sct}' is not valid. Supported values are Git and Tfvc.`,
      "ProjectCreateParameterValidationException",
    );
  if (!PROCESSES.some((x) => x.id === templateId)) {
    throw errors.badRequest(
      `The process template with id '${templateId}' does not exist.`,
      "ProcessTemplateNotFoundException",
    );
  }
  // ProjectVisibility: a name, or from the node API a number (private = 0, public = 2).
  const rawVisibility = body.visibility ?? "private";
  const visibility =
    rawVisibility === 0 ? "private" : rawVisibility === 2 ? "public" : String(rawVisibility).toLowerCase();
  if (visibility !== "private" && visibility !== "public")
    throw errors.badRequest(
      `Invalid visibility value '${visibility}'.`,
      "ProjectCreateParameterValidationException",
    );
  const now = ctx.opts.now();
  const id = randomUUID();
  const description = str(body.description);
  ctx.state.projects[id] = {
    id,
    name,
    ...(description !== undefined ? { description } : {}),
    visibility,
    state: "createPending",
    revision: 1,
    lastUpdateTime: new Date(now).toISOString(),
    processTemplateId: templateId,
    sourceControlType: sct,
  };
  const opId = randomUUID();
  ctx.state.operations[opId] = {
    id: opId,
    kind: "projectCreate",
    projectId: id,
    createdAt: now,
    doneAt: now + PROJECT_CREATE_MS / Math.max(ctx.opts.speed, 0.0001),
    status: "queued",
  };
  ctx.changed();
  return json(202, { id: opId, status: "queued", url: `${ctx.orgUrl}/_apis/operations/${opId}` });
}

/** Queues a project delete: the project and everything in it go when the operation succeeds. */
function deleteProject(ctx: Ctx) {
  const key = ctx.params.projectId ?? "";
  const p = GUID_RE.test(key) ? ctx.state.projects[key.toLowerCase()] : undefined;
  if (!p) throw errors.projectNotFound(key);
  const now = ctx.opts.now();
  const opId = randomUUID();
  ctx.state.operations[opId] = {
    id: opId,
    kind: "projectDelete",
    projectId: p.id,
    createdAt: now,
    doneAt: now + PROJECT_DELETE_MS / Math.max(ctx.opts.speed, 0.0001),
    status: "queued",
  };
  ctx.changed();
  return json(202, { id: opId, status: "queued", url: `${ctx.orgUrl}/_apis/operations/${opId}` });
}

/** Removes a project and every object scoped to it. */
function purgeProject(state: DevopsState, projectId: string): void {
  delete state.projects[projectId];
  for (const [id, r] of Object.entries(state.repositories))
    if (r.projectId === projectId) delete state.repositories[id];
  for (const [id, pr] of Object.entries(state.pullRequests))
    if (!state.repositories[pr.repositoryId]) delete state.pullRequests[id];
  for (const coll of [
    state.environments,
    state.checks,
    state.definitions,
    state.builds,
    state.policies,
    state.approvals ?? {},
    state.policyEvaluations ?? {},
  ] as Record<string, { projectId: string }>[]) {
    for (const [id, x] of Object.entries(coll)) if (x.projectId === projectId) delete coll[id];
  }
  for (const coll of [state.serviceEndpoints, state.variableGroups] as Record<
    string,
    { projectReferences: { projectId: string }[] }
  >[]) {
    for (const [id, x] of Object.entries(coll)) {
      x.projectReferences = x.projectReferences.filter((r) => r.projectId !== projectId);
      if (x.projectReferences.length === 0) delete coll[id];
    }
  }
  for (const k of Object.keys(state.pipelinePermissions))
    if (k.startsWith(`${projectId}/`)) delete state.pipelinePermissions[k];
}

function getOperation(ctx: Ctx) {
  const id = (ctx.params.operationId ?? "").toLowerCase();
  const op = ctx.state.operations[id];
  if (!op) throw errors.operationNotFound(id);
  const url = `${ctx.orgUrl}/_apis/operations/${op.id}`;
  return ok({
    id: op.id,
    status: op.status,
    url,
    _links: { self: { href: url } },
    pluginId: "00000000-0000-0000-0000-000000000000",
    detailedMessage: op.status === "succeeded" ? "ProjectCreate succeeded" : null,
    resultMessage: null,
    resultUrl: null,
  });
}

function listProcesses(ctx: Ctx) {
  return list(
    PROCESSES.map((p) => ({ ...p, type: "system", url: `${ctx.orgUrl}/_apis/process/processes/${p.id}` })),
  );
}

function getProcess(ctx: Ctx) {
  const p = PROCESSES.find((x) => x.id === (ctx.params.processId ?? "").toLowerCase());
  if (!p)
    throw errors.badRequest(
      `The process template with id '${ctx.params.processId}' does not exist.`,
      "ProcessTemplateNotFoundException",
    );
  return ok({ ...p, type: "system", url: `${ctx.orgUrl}/_apis/process/processes/${p.id}` });
}

export const coreRoutes: Route[] = [
  {
    id: "603fe2ac-9723-48b9-88ad-09305aa6c6e1",
    area: "core",
    resource: "projects",
    template: "_apis/projects/{*projectId}",
    resourceVersion: 4,
    methods: {
      GET: (ctx) => (ctx.params.projectId ? getProject(ctx) : listProjects(ctx)),
      POST: createProject,
      DELETE: deleteProject,
    },
  },
  {
    id: "93878975-88c5-4e6a-8abb-7ddd77a8a7d8",
    area: "core",
    resource: "processes",
    template: "_apis/process/processes/{*processId}",
    resourceVersion: 1,
    methods: { GET: (ctx) => (ctx.params.processId ? getProcess(ctx) : listProcesses(ctx)) },
  },
  {
    id: "9a1b74b4-2ca8-4a9f-8470-c2f2e6fdc949",
    area: "operations",
    resource: "operations",
    template: "_apis/operations/{operationId}",
    resourceVersion: 1,
    methods: { GET: getOperation },
  },
];
