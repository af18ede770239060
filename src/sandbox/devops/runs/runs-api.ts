import type { Ctx } from "../context.js";
import { bodyObject, list, obj, ok, query, str } from "../context.js";
import { requireProject } from "../environments.js";
import { DevopsError, errors } from "../errors.js";
import type { Route } from "../router.js";
import type { BuildDefinitionRecord, BuildRecord } from "../state.js";
import { buildJson, runJson, timelineJson } from "./json.js";
import { advance, queue } from "./run-context.js";
import { runContext } from "./service.js";

/**
 * Runs through the Pipelines API (`_apis/pipelines/{id}/runs`) and the Build API
 * (`_apis/build/builds`, `.../timeline`): one record each, two views.
 */
const BUILD_NS = ["Microsoft.TeamFoundation.Build.WebApi", "Microsoft.TeamFoundation.Build2.WebApi"] as const;

function definitionOf(
  ctx: Ctx,
  id: string | number | undefined,
  pipelinesApi: boolean,
): BuildDefinitionRecord {
  const project = requireProject(ctx);
  const d = ctx.state.definitions[String(id ?? "")];
  if (!d || d.projectId !== project.id)
    throw pipelinesApi ? errors.pipelineNotFound(String(id)) : errors.definitionNotFound(String(id));
  return d;
}

const buildNotFound = (id: string) =>
  new DevopsError(
    404,
    `The requested build ${id} could not be found.`,
    "BuildNotFoundException",
    ...BUILD_NS,
  );

function findBuild(ctx: Ctx, id: string | undefined): BuildRecord {
  const project = requireProject(ctx);
  const b = ctx.state.builds[id ?? ""];
  if (!b || b.projectId !== project.id) throw buildNotFound(id ?? "");
  return b;
}

function refName(branch: string | undefined, d: BuildDefinitionRecord): string {
  if (!branch) return d.repository.defaultBranch;
  return branch.startsWith("refs/") ? branch : `refs/heads/${branch}`;
}

function queueOne(
  ctx: Ctx,
  d: BuildDefinitionRecord,
  branch: string,
  extra: {
    version?: string;
    templateParameters?: Record<string, string>;
    variables?: Record<string, string>;
  },
) {
  if (d.queueStatus !== "enabled")
    throw errors.definitionInvalid(
      `Could not queue the build because the build pipeline '${d.name}' is ${d.queueStatus}.`,
    );
  const repo = ctx.state.repositories[d.repository.id];
  if (!repo?.refs[branch] && !extra.version)
    throw new DevopsError(
      400,
      `Could not find a branch named '${branch}' in repository '${d.repository.name}'.`,
      "BuildRequestValidationFailedException",
      ...BUILD_NS,
    );
  const rc = runContext(ctx.state, ctx.opts);
  const b = queue(rc, {
    definition: d,
    sourceBranch: branch,
    ...(extra.version ? { sourceVersion: extra.version } : {}),
    reason: "manual",
    requestedFor: ctx.identity,
    ...(extra.templateParameters ? { templateParameters: extra.templateParameters } : {}),
    ...(extra.variables ? { variables: extra.variables } : {}),
  });
  if (b.validationErrors.length > 0) {
    // Queued by hand, an invalid pipeline is refused (a trigger records a failed run instead).
    delete ctx.state.builds[String(b.id)];
    throw new DevopsError(400, b.validationErrors.join("\n"), "PipelineValidationException", ...BUILD_NS);
  }
  advance(rc);
  ctx.changed();
  return b;
}

function stringMap(v: unknown, what: string, secretsDropped = false): Record<string, string> | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) {
    const inner = obj(val);
    if (inner) {
      // A secret run-time variable is never stored: the sandbox keeps no secret values.
      out[k] = inner.isSecret === true && secretsDropped ? "***" : String(inner.value ?? "");
    } else if (val === null || ["string", "number", "boolean"].includes(typeof val))
      out[k] = String(val ?? "");
    else throw errors.argument(`${what}.${k} must be a string.`);
  }
  return out;
}

function runPipeline(ctx: Ctx) {
  const d = definitionOf(ctx, ctx.params.pipelineId, true);
  const body = bodyObject(ctx) ?? {};
  if (body.previewRun === true)
    throw errors.badRequest("previewRun is not supported by the sandbox.", "InvalidRequestException");
  const self = obj(obj(obj(body.resources)?.repositories)?.self);
  const branch = refName(str(self?.refName), d);
  const templateParameters = stringMap(body.templateParameters, "templateParameters");
  const variables = stringMap(body.variables, "variables", true);
  const b = queueOne(ctx, d, branch, {
    ...(str(self?.version) ? { version: str(self?.version) as string } : {}),
    ...(templateParameters ? { templateParameters } : {}),
    ...(variables ? { variables } : {}),
  });
  return ok(runJson(ctx, b));
}

function getRuns(ctx: Ctx) {
  const d = definitionOf(ctx, ctx.params.pipelineId, true);
  if (ctx.params.runId !== undefined) {
    const b = ctx.state.builds[ctx.params.runId];
    if (!b || b.definitionId !== d.id)
      throw new DevopsError(
        404,
        `Run ${ctx.params.runId} could not be found.`,
        "PipelineRunNotFoundException",
        ...BUILD_NS,
      );
    return ok(runJson(ctx, b));
  }
  const runs = Object.values(ctx.state.builds)
    .filter((b) => b.definitionId === d.id)
    .sort((a, b) => b.id - a.id)
    .slice(0, 10000);
  return list(runs.map((b) => runJson(ctx, b)));
}

function queueBuild(ctx: Ctx) {
  const body = bodyObject(ctx);
  const defId = obj(body?.definition)?.id;
  if (typeof defId !== "number") throw errors.argument("Value cannot be null.", "build.Definition");
  const d = definitionOf(ctx, defId, false);
  const b = queueOne(ctx, d, refName(str(body?.sourceBranch), d), {
    ...(str(body?.sourceVersion) ? { version: str(body?.sourceVersion) as string } : {}),
  });
  return ok(buildJson(ctx, b));
}

/** Flags enums arrive as names (REST) or numbers (azure-devops-node-api). */
const REASON_FLAGS: Record<string, number> = {
  manual: 1,
  individualci: 2,
  pullrequest: 256,
  resourcetrigger: 1024,
  buildcompletion: 512,
  triggered: 1967,
  all: 2031,
};
const STATUS_FLAGS: Record<string, number> = {
  inprogress: 1,
  completed: 2,
  cancelling: 4,
  postponed: 8,
  notstarted: 32,
  all: 47,
};
const RESULT_FLAGS: Record<string, number> = { succeeded: 2, partiallysucceeded: 4, failed: 8, canceled: 32 };

function flags(value: string | undefined, names: Record<string, number>): number | undefined {
  if (value === undefined || value === "") return undefined;
  let mask = 0;
  for (const part of value.split(",").map((p) => p.trim().toLowerCase())) {
    if (/^\d+$/.test(part)) mask |= Number(part);
    else if (names[part] !== undefined) mask |= names[part];
    else throw errors.argument(`The value '${part}' is not valid.`);
  }
  return mask === 0 ? undefined : mask;
}

const has = (mask: number | undefined, names: Record<string, number>, value: string | undefined) =>
  mask === undefined || (value !== undefined && ((names[value.toLowerCase()] ?? 0) & mask) !== 0);

const ORDERS: Record<string, [keyof BuildRecord, 1 | -1]> = {
  "2": ["finishTime", 1],
  finishtimeascending: ["finishTime", 1],
  "3": ["finishTime", -1],
  finishtimedescending: ["finishTime", -1],
  "4": ["queueTime", -1],
  queuetimedescending: ["queueTime", -1],
  "5": ["queueTime", 1],
  queuetimeascending: ["queueTime", 1],
  "6": ["startTime", -1],
  starttimedescending: ["startTime", -1],
  "7": ["startTime", 1],
  starttimeascending: ["startTime", 1],
};

function listBuilds(ctx: Ctx) {
  const project = requireProject(ctx);
  const defs = query(ctx, "definitions")?.split(",");
  const ids = query(ctx, "buildIds")?.split(",");
  const branch = query(ctx, "branchName");
  const repoId = query(ctx, "repositoryId")?.toLowerCase();
  const reason = flags(query(ctx, "reasonFilter"), REASON_FLAGS);
  const status = flags(query(ctx, "statusFilter"), STATUS_FLAGS);
  const result = flags(query(ctx, "resultFilter"), RESULT_FLAGS);
  const top = Number(query(ctx, "$top") ?? "1000");
  const order = ORDERS[(query(ctx, "queryOrder") ?? "").toLowerCase()];
  let items = Object.values(ctx.state.builds)
    .filter((b) => b.projectId === project.id)
    .filter((b) => !defs || defs.includes(String(b.definitionId)))
    .filter((b) => !ids || ids.includes(String(b.id)))
    .filter((b) => !branch || b.sourceBranch.toLowerCase() === branch.toLowerCase())
    .filter((b) => !repoId || b.repositoryId === repoId)
    .filter((b) => has(reason, REASON_FLAGS, b.reason))
    .filter((b) => has(status, STATUS_FLAGS, b.status))
    .filter((b) => has(result, RESULT_FLAGS, b.result));
  if (order) {
    const [key, dir] = order;
    // Ordering by finish or start time lists only builds that have one.
    items = items
      .filter((b) => b[key] !== undefined)
      .sort((a, b) => dir * String(a[key]).localeCompare(String(b[key])) || dir * (a.id - b.id));
  } else items.sort((a, b) => b.id - a.id);
  return list(items.slice(0, Number.isFinite(top) && top > 0 ? top : 1000).map((b) => buildJson(ctx, b)));
}

/**
 * PATCH a build with {status: "cancelling"}: the run stops where it is; what was running or
 * waiting ends canceled, what had not started is skipped, pending approvals are canceled.
 */
function updateBuild(ctx: Ctx) {
  const b = findBuild(ctx, ctx.params.buildId);
  const body = bodyObject(ctx);
  const status = body?.status;
  if (status === undefined) return ok(buildJson(ctx, b));
  if (!(status === "cancelling" || status === 4))
    throw errors.badRequest(
      `The build status '${String(status)}' cannot be set; only cancelling is supported.`,
      "InvalidRequestException",
    );
  if (b.status !== "completed") {
    const now = ctx.nowIso();
    for (const r of b.records) {
      if (r.state === "completed") continue;
      const started = r.state === "inProgress" || r.startTime !== undefined;
      r.state = "completed";
      r.result = started ? "canceled" : "skipped";
      if (started) r.finishTime = now;
    }
    for (const a of Object.values(ctx.state.approvals ?? {}))
      if (a.buildId === b.id && a.status === "pending") {
        a.status = "canceled";
        a.lastModifiedOn = now;
      }
    b.status = "completed";
    b.result = "canceled";
    b.startTime ??= now;
    b.finishTime = now;
    b.completionHandled = true; // a canceled run triggers nothing
    ctx.changed();
  }
  return ok(buildJson(ctx, b));
}

function getTimeline(ctx: Ctx) {
  const b = findBuild(ctx, ctx.params.buildId);
  const tid = ctx.params.timelineId;
  if (tid !== undefined && tid.toLowerCase() !== b.planId)
    throw new DevopsError(
      404,
      `Timeline ${tid} could not be found for build ${b.id}.`,
      "TimelineNotFoundException",
      ...BUILD_NS,
    );
  return ok(timelineJson(ctx, b));
}

export const runRoutes: Route[] = [
  {
    id: "7859261e-d2e9-4a68-b820-a5d84cc5bb3d",
    area: "pipelines",
    resource: "runs",
    template: "{project}/_apis/pipelines/{pipelineId}/runs/{runId}",
    resourceVersion: 1,
    methods: { POST: runPipeline, GET: getRuns },
  },
  {
    id: "0cd358e1-9217-4d94-8269-1c1ee6f93dcf",
    area: "build",
    resource: "builds",
    template: "{project}/_apis/build/builds/{buildId}",
    resourceVersion: 7,
    methods: {
      POST: queueBuild,
      PATCH: updateBuild,
      GET: (ctx) =>
        ctx.params.buildId !== undefined
          ? ok(buildJson(ctx, findBuild(ctx, ctx.params.buildId)))
          : listBuilds(ctx),
    },
  },
  {
    id: "8baac422-4c6e-4de5-8532-db96d92acffa",
    area: "build",
    resource: "Timeline",
    template: "{project}/_apis/build/builds/{buildId}/Timeline/{timelineId}",
    resourceVersion: 3,
    methods: { GET: getTimeline },
  },
];
