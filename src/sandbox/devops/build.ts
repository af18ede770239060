import type { Ctx } from "./context.js";
import { bodyObject, identityJson, list, obj, ok, query, str } from "./context.js";
import { DevopsError, errors } from "./errors.js";
import { requireProject } from "./environments.js";
import { normalizePath } from "./git-content.js";
import type { Route } from "./router.js";
import type { BuildDefinitionRecord, GitRepositoryRecord } from "./state.js";

/** Build definitions (classic Build API) and the Pipelines API view of the same objects. */
const BUILD_NS = ["Microsoft.TeamFoundation.Build.WebApi", "Microsoft.TeamFoundation.Build2.WebApi"] as const;
const YAML_PROCESS = 2;

function definitionUrl(ctx: Ctx, d: BuildDefinitionRecord) {
  return `${ctx.orgUrl}/${d.projectId}/_apis/build/Definitions/${d.id}?revision=${d.revision}`;
}

function definitionJson(ctx: Ctx, d: BuildDefinitionRecord, reference = false) {
  const project = ctx.state.projects[d.projectId];
  const base = {
    _links: {
      self: { href: definitionUrl(ctx, d) },
      web: { href: `${ctx.orgUrl}/${d.projectId}/_build/definition?definitionId=${d.id}` },
    },
    quality: "definition",
    authoredBy: identityJson(ctx, d.authoredBy),
    queue: { id: 1, name: "Azure Pipelines", pool: { id: 1, name: "Azure Pipelines", isHosted: true } },
    id: d.id,
    name: d.name,
    url: definitionUrl(ctx, d),
    uri: `vstfs:///Build/Definition/${d.id}`,
    path: d.path,
    type: "build",
    queueStatus: d.queueStatus,
    revision: d.revision,
    createdDate: d.createdDate,
    project: project
      ? {
          id: project.id,
          name: project.name,
          url: `${ctx.orgUrl}/_apis/projects/${project.id}`,
          state: project.state,
          revision: project.revision,
          visibility: project.visibility,
        }
      : { id: d.projectId },
  };
  if (reference) return base;
  return {
    ...d.extra,
    ...base,
    process: d.process,
    repository: {
      ...d.repository,
      url: `${ctx.orgUrl}/${d.projectId}/_git/${encodeURIComponent(d.repository.name)}`,
      clean: null,
      checkoutSubmodules: false,
      properties: {},
    },
  };
}

const invalid = (m: string) => errors.definitionInvalid(m);

/** DefinitionTriggerType and BuildAuthorizationScope: the node API sends numbers, the service answers names. */
const TRIGGER_TYPES: Record<number, string> = {
  1: "none",
  2: "continuousIntegration",
  4: "batchedContinuousIntegration",
  8: "schedule",
  16: "gatedCheckIn",
  32: "batchedGatedCheckIn",
  64: "pullRequest",
  128: "buildCompletion",
};
const JOB_AUTH_SCOPES: Record<number, string> = { 1: "projectCollection", 2: "project" };

function normalizeTriggers(triggers: unknown): unknown[] {
  if (!Array.isArray(triggers)) throw invalid("triggers must be an array.");
  return triggers.map((t) => {
    const o = obj(t);
    if (!o) throw invalid("Each trigger must be an object.");
    const type = o.triggerType;
    if (typeof type === "number") {
      const name = TRIGGER_TYPES[type];
      if (!name) throw invalid(`Trigger type ${type} is not valid.`);
      return { ...o, triggerType: name };
    }
    if (
      typeof type !== "string" ||
      !Object.values(TRIGGER_TYPES).some((n) => n.toLowerCase() === type.toLowerCase())
    ) {
      throw invalid(`Trigger type '${String(type)}' is not valid.`);
    }
    return o;
  });
}

function findRepo(ctx: Ctx, projectId: string, idOrName: string | undefined): GitRepositoryRecord {
  const key = (idOrName ?? "").toLowerCase();
  const repo =
    ctx.state.repositories[key] ??
    Object.values(ctx.state.repositories).find(
      (r) => r.projectId === projectId && r.name.toLowerCase() === key,
    );
  if (!repo || repo.projectId !== projectId) throw errors.repoNotFound(idOrName ?? "");
  return repo;
}

function parseDefinition(
  ctx: Ctx,
  projectId: string,
): Omit<BuildDefinitionRecord, "id" | "revision" | "createdDate" | "authoredBy" | "projectId"> {
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "definition");
  const name = str(body.name);
  if (!name || !name.trim()) throw invalid("The build pipeline name must be specified.");
  if (name.length > 260 || /[\\/:*?"<>|@]/.test(name))
    throw invalid(`The build pipeline name '${name}' contains invalid characters.`);
  const path = (str(body.path) ?? "\\").replace(/\//g, "\\");
  const process = obj(body.process);
  const ptype = process?.type;
  if (ptype !== YAML_PROCESS)
    throw invalid("Only YAML build pipelines (process.type 2) are supported by the sandbox.");
  const yamlFilename = str(process?.yamlFilename);
  if (!yamlFilename) throw invalid("A YAML build pipeline requires process.yamlFilename.");
  const repo = obj(body.repository);
  if (!repo) throw invalid("The build pipeline must specify a repository.");
  const rtype = str(repo.type) ?? "TfsGit";
  if (rtype.toLowerCase() !== "tfsgit")
    throw invalid(`Repository type '${rtype}' is not supported by the sandbox (TfsGit only).`);
  const r = findRepo(ctx, projectId, str(repo.id) ?? str(repo.name));
  // DefinitionQueueStatus: a name, or from the node API a number (enabled 0, paused 1, disabled 2).
  const rawQueue = body.queueStatus ?? "enabled";
  const queueStatus =
    typeof rawQueue === "number"
      ? (["enabled", "paused", "disabled"][rawQueue] ?? String(rawQueue))
      : String(rawQueue);
  if (!["enabled", "paused", "disabled"].includes(queueStatus))
    throw invalid(`queueStatus '${queueStatus}' is not valid.`);
  const extra: Record<string, unknown> = {};
  for (const k of [
    "triggers",
    "variables",
    "variableGroups",
    "options",
    "retentionRules",
    "jobAuthorizationScope",
    "jobTimeoutInMinutes",
    "badgeEnabled",
    "tags",
    "properties",
    "description",
  ]) {
    if (body[k] !== undefined) extra[k] = body[k];
  }
  if (extra.triggers !== undefined) extra.triggers = normalizeTriggers(extra.triggers);
  if (typeof extra.jobAuthorizationScope === "number") {
    const scope = JOB_AUTH_SCOPES[extra.jobAuthorizationScope];
    if (!scope) throw invalid(`jobAuthorizationScope ${extra.jobAuthorizationScope} is not valid.`);
    extra.jobAuthorizationScope = scope;
  }
  return {
    name,
    path: path.startsWith("\\") ? path : `\\${path}`,
    queueStatus: queueStatus as BuildDefinitionRecord["queueStatus"],
    process: { type: YAML_PROCESS, yamlFilename },
    repository: {
      id: r.id,
      type: "TfsGit",
      name: r.name,
      defaultBranch: str(repo.defaultBranch) ?? r.defaultBranch ?? "refs/heads/main",
    },
    extra,
  };
}

function clash(ctx: Ctx, projectId: string, name: string, path: string, exceptId?: number) {
  return Object.values(ctx.state.definitions).some(
    (d) =>
      d.id !== exceptId &&
      d.projectId === projectId &&
      d.name.toLowerCase() === name.toLowerCase() &&
      d.path.toLowerCase() === path.toLowerCase(),
  );
}

export function storeDefinition(
  ctx: Ctx,
  projectId: string,
  parsed: ReturnType<typeof parseDefinition>,
): BuildDefinitionRecord {
  if (clash(ctx, projectId, parsed.name, parsed.path))
    throw errors.definitionExists(parsed.name, parsed.path);
  const rec: BuildDefinitionRecord = {
    ...parsed,
    id: ctx.state.counters.definition++,
    projectId,
    revision: 1,
    createdDate: ctx.nowIso(),
    authoredBy: ctx.identity,
  };
  ctx.state.definitions[String(rec.id)] = rec;
  ctx.changed();
  return rec;
}

function createDefinition(ctx: Ctx) {
  const project = requireProject(ctx);
  return ok(definitionJson(ctx, storeDefinition(ctx, project.id, parseDefinition(ctx, project.id))));
}

function findDefinition(ctx: Ctx, id: string | undefined): BuildDefinitionRecord {
  const project = requireProject(ctx);
  const d = ctx.state.definitions[id ?? ""];
  if (!d || d.projectId !== project.id) throw errors.definitionNotFound(id ?? "");
  return d;
}

function updateDefinition(ctx: Ctx) {
  const d = findDefinition(ctx, ctx.params.definitionId);
  const rev = bodyObject(ctx)?.revision;
  if (typeof rev !== "number")
    throw invalid("The definition revision must be specified when updating a build pipeline.");
  if (rev !== d.revision) {
    throw new DevopsError(
      409,
      `The build pipeline was modified by another user (revision ${d.revision}); refresh and try again.`,
      "DefinitionUpdateConflictException",
      ...BUILD_NS,
    );
  }
  const parsed = parseDefinition(ctx, d.projectId);
  if (clash(ctx, d.projectId, parsed.name, parsed.path, d.id))
    throw errors.definitionExists(parsed.name, parsed.path);
  Object.assign(d, parsed, { revision: d.revision + 1 });
  ctx.changed();
  return ok(definitionJson(ctx, d));
}

function listDefinitions(ctx: Ctx) {
  const project = requireProject(ctx);
  const name = query(ctx, "name");
  const pattern = name
    ? new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i")
    : undefined;
  const path = query(ctx, "path")?.toLowerCase();
  const repoId = query(ctx, "repositoryId")?.toLowerCase();
  const ids = query(ctx, "definitionIds")?.split(",");
  const items = Object.values(ctx.state.definitions)
    .filter((d) => d.projectId === project.id)
    .filter((d) => !pattern || pattern.test(d.name))
    .filter((d) => !path || d.path.toLowerCase() === path)
    .filter((d) => !repoId || d.repository.id === repoId)
    .filter((d) => !ids || ids.includes(String(d.id)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const full = query(ctx, "includeAllProperties") === "true";
  return list(items.map((d) => definitionJson(ctx, d, !full)));
}

// ---- Pipelines API (`_apis/pipelines`): YAML definitions seen as pipelines.

function pipelineJson(ctx: Ctx, d: BuildDefinitionRecord, detailed: boolean) {
  const url = `${ctx.orgUrl}/${d.projectId}/_apis/pipelines/${d.id}?revision=${d.revision}`;
  return {
    _links: {
      self: { href: url },
      web: { href: `${ctx.orgUrl}/${d.projectId}/_build/definition?definitionId=${d.id}` },
    },
    ...(detailed
      ? {
          configuration: {
            path: d.process.yamlFilename,
            repository: { id: d.repository.id, type: "azureReposGit" },
            type: "yaml",
          },
        }
      : {}),
    url,
    id: d.id,
    revision: d.revision,
    name: d.name,
    folder: d.path,
  };
}

function createPipeline(ctx: Ctx) {
  const project = requireProject(ctx);
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "inputParameters");
  const name = str(body.name);
  if (!name) throw errors.argument("Value cannot be null.", "inputParameters.Name");
  const config = obj(body.configuration);
  // ConfigurationType / RepositoryType arrive as names or (node API) numbers: yaml = 1, azureReposGit = 2.
  const ctype = config?.type;
  if (!(ctype === 1 || (typeof ctype === "string" && ctype.toLowerCase() === "yaml")))
    throw invalid("Only configuration.type 'yaml' is supported.");
  const path = str(config?.path);
  if (!path) throw errors.argument("Value cannot be null.", "configuration.Path");
  const repoRef = obj(config?.repository);
  const rtype = repoRef?.type;
  if (!(
    rtype === 2 ||
    (typeof rtype === "string" && ["azurereposgit", "azure-repos-git"].includes(rtype.toLowerCase()))
  )) {
    throw invalid(`Repository type '${String(rtype)}' is not supported by the sandbox (azureReposGit only).`);
  }
  const repo = findRepo(ctx, project.id, str(repoRef?.id) ?? str(repoRef?.name));
  const branch = repo.defaultBranch ? repo.refs[repo.defaultBranch] : undefined;
  const commit = branch ? repo.commits[branch] : undefined;
  if (!commit || commit.tree[normalizePath(path)] === undefined) {
    throw invalid(
      `File ${normalizePath(path)} not found in repository ${repo.name} branch ${repo.defaultBranch ?? "refs/heads/main"} version ${branch ?? ""}.`,
    );
  }
  const folder = (str(body.folder) ?? "\\").replace(/\//g, "\\");
  const rec = storeDefinition(ctx, project.id, {
    name,
    path: folder.startsWith("\\") ? folder : `\\${folder}`,
    queueStatus: "enabled",
    process: { type: YAML_PROCESS, yamlFilename: path },
    repository: {
      id: repo.id,
      type: "TfsGit",
      name: repo.name,
      defaultBranch: repo.defaultBranch ?? "refs/heads/main",
    },
    extra: {},
  });
  return ok(pipelineJson(ctx, rec, true));
}

export const buildRoutes: Route[] = [
  {
    id: "dbeaf647-6167-421a-bda9-c9327b25e2e6",
    area: "build",
    resource: "definitions",
    template: "{project}/_apis/build/definitions/{definitionId}",
    resourceVersion: 7,
    methods: {
      POST: createDefinition,
      PUT: updateDefinition,
      DELETE: (ctx) => {
        const d = findDefinition(ctx, ctx.params.definitionId);
        delete ctx.state.definitions[String(d.id)];
        for (const [k, b] of Object.entries(ctx.state.builds))
          if (b.definitionId === d.id) delete ctx.state.builds[k];
        for (const [k, a] of Object.entries(ctx.state.approvals ?? {}))
          if (!ctx.state.builds[String(a.buildId)]) delete ctx.state.approvals?.[k];
        for (const rec of Object.values(ctx.state.pipelinePermissions))
          rec.pipelines = rec.pipelines.filter((p) => p.id !== d.id);
        ctx.changed();
        return { status: 204 };
      },
      GET: (ctx) =>
        ctx.params.definitionId
          ? ok(definitionJson(ctx, findDefinition(ctx, ctx.params.definitionId)))
          : listDefinitions(ctx),
    },
  },
  {
    id: "28e1305e-2afe-47bf-abaf-cbb0e6a91988",
    area: "pipelines",
    resource: "pipelines",
    template: "{project}/_apis/pipelines/{pipelineId}",
    resourceVersion: 1,
    methods: {
      POST: createPipeline,
      GET: (ctx) => {
        const id = ctx.params.pipelineId;
        if (id === undefined) {
          const project = requireProject(ctx);
          return list(
            Object.values(ctx.state.definitions)
              .filter((d) => d.projectId === project.id)
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((d) => pipelineJson(ctx, d, false)),
          );
        }
        const project = requireProject(ctx);
        const d = ctx.state.definitions[id];
        if (!d || d.projectId !== project.id) throw errors.pipelineNotFound(id);
        return ok(pipelineJson(ctx, d, true));
      },
    },
  },
];
