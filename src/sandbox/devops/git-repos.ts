import { randomUUID } from "node:crypto";
import type { Ctx } from "./context.js";
import { bodyObject, json, list, noContent, obj, ok, query, str } from "./context.js";
import { errors } from "./errors.js";
import { GUID, isValidRepositoryName } from "./names.js";
import type { Route } from "./router.js";
import type { DevopsState, GitRepositoryRecord, ProjectRecord } from "./state.js";
import { findProject, projectRef } from "./core.js";
import { ZERO_ID } from "./git-objects.js";
import { branchIsProtected } from "./policy.js";

export function createRepository(
  state: DevopsState,
  project: ProjectRecord,
  name: string,
): GitRepositoryRecord {
  const repo: GitRepositoryRecord = {
    id: randomUUID(),
    name,
    projectId: project.id,
    refs: {},
    commits: {},
    blobs: {},
    pushes: [],
    isDisabled: false,
  };
  state.repositories[repo.id] = repo;
  return repo;
}

/** Resolves `{repositoryId}` (id, or name within the route's project) or throws TF401019. */
export function resolveRepo(ctx: Ctx, key = ctx.params.repositoryId ?? ""): GitRepositoryRecord {
  const byId = GUID.test(key) ? ctx.state.repositories[key.toLowerCase()] : undefined;
  if (byId && (!ctx.project || byId.projectId === ctx.project.id)) return byId;
  if (ctx.project) {
    const lower = key.toLowerCase();
    const byName = Object.values(ctx.state.repositories).find(
      (r) => r.projectId === ctx.project?.id && r.name.toLowerCase() === lower,
    );
    if (byName) return byName;
  }
  throw errors.repoNotFound(key);
}

export function repoUrl(ctx: Ctx, repo: GitRepositoryRecord): string {
  return `${ctx.orgUrl}/${repo.projectId}/_apis/git/repositories/${repo.id}`;
}

export function repoJson(ctx: Ctx, repo: GitRepositoryRecord): Record<string, unknown> {
  const project = ctx.state.projects[repo.projectId];
  const url = repoUrl(ctx, repo);
  const projectName = project?.name ?? repo.projectId;
  const size = Object.values(repo.blobs).reduce((n, b) => n + Buffer.from(b, "base64").length, 0);
  return {
    id: repo.id,
    name: repo.name,
    url,
    project: project ? projectRef(ctx, project) : { id: repo.projectId },
    ...(repo.defaultBranch ? { defaultBranch: repo.defaultBranch } : {}),
    size,
    remoteUrl: `${ctx.orgUrl}/${encodeURIComponent(projectName)}/_git/${encodeURIComponent(repo.name)}`,
    sshUrl: `git@ssh.dev.azure.com:v3/${ctx.state.organization}/${encodeURIComponent(projectName)}/${encodeURIComponent(repo.name)}`,
    webUrl: `${ctx.orgUrl}/${encodeURIComponent(projectName)}/_git/${encodeURIComponent(repo.name)}`,
    isDisabled: repo.isDisabled,
    isInMaintenance: false,
    _links: { self: { href: url }, project: { href: `${ctx.orgUrl}/_apis/projects/${repo.projectId}` } },
  };
}

function listRepositories(ctx: Ctx) {
  const repos = Object.values(ctx.state.repositories)
    .filter((r) => !ctx.project || r.projectId === ctx.project.id)
    .sort((a, b) => a.name.localeCompare(b.name));
  return list(repos.map((r) => repoJson(ctx, r)));
}

function createRepo(ctx: Ctx) {
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "repositoryToCreate");
  const name = str(body.name);
  if (!name) throw errors.argument("Value cannot be null.", "repositoryToCreate.Name");
  const projectKey = str(obj(body.project)?.id) ?? str(obj(body.project)?.name) ?? ctx.project?.id;
  if (!projectKey)
    throw errors.argument(
      "A project must be specified either in the route or in the body.",
      "repositoryToCreate.Project",
    );
  const project = findProject(ctx.state, projectKey);
  if (!project) throw errors.projectNotFound(projectKey);
  if (!isValidRepositoryName(name)) throw errors.invalidRepoName(name);
  const lower = name.toLowerCase();
  if (
    Object.values(ctx.state.repositories).some(
      (r) => r.projectId === project.id && r.name.toLowerCase() === lower,
    )
  ) {
    throw errors.repoExists(name);
  }
  const repo = createRepository(ctx.state, project, name);
  ctx.changed();
  return json(201, repoJson(ctx, repo));
}

function deleteRepo(ctx: Ctx) {
  const key = ctx.params.repositoryId ?? "";
  const repo = GUID.test(key) ? ctx.state.repositories[key.toLowerCase()] : undefined;
  if (!repo) throw errors.repoNotFound(key);
  delete ctx.state.repositories[repo.id];
  for (const [id, pr] of Object.entries(ctx.state.pullRequests))
    if (pr.repositoryId === repo.id) delete ctx.state.pullRequests[id];
  ctx.changed();
  return noContent();
}

/**
 * `PATCH repositories/{id}`: rename, change the default branch, disable or enable (the service
 * takes any of `name`, `defaultBranch`, `isDisabled`; a rename keeps the id).
 */
function updateRepo(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "newRepositoryInfo");
  const name = str(body.name);
  if (name !== undefined && name !== repo.name) {
    if (!isValidRepositoryName(name)) throw errors.invalidRepoName(name);
    const lower = name.toLowerCase();
    const taken = Object.values(ctx.state.repositories).some(
      (r) => r.id !== repo.id && r.projectId === repo.projectId && r.name.toLowerCase() === lower,
    );
    if (taken) throw errors.repoExists(name);
    repo.name = name;
  }
  const branch = str(body.defaultBranch);
  if (branch !== undefined) {
    const ref = branch.startsWith("refs/") ? branch : `refs/heads/${branch}`;
    if (!repo.refs[ref]) throw errors.argument(`The branch ${branch} does not exist.`, "defaultBranch");
    repo.defaultBranch = ref;
  }
  if (typeof body.isDisabled === "boolean") repo.isDisabled = body.isDisabled;
  ctx.changed();
  return ok(repoJson(ctx, repo));
}

/** `GET refs?filter=heads/main`: refs whose name (without "refs/") starts with the filter. */
function listRefs(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  const filter = query(ctx, "filter") ?? ctx.params.filter;
  const contains = query(ctx, "filterContains")?.toLowerCase();
  const refs = Object.entries(repo.refs)
    .filter(([name]) => !filter || name.slice("refs/".length).startsWith(filter.replace(/^refs\//, "")))
    .filter(([name]) => !contains || name.toLowerCase().includes(contains))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, objectId]) => ({
      name,
      objectId,
      creator: null,
      url: `${repoUrl(ctx, repo)}/refs?filter=${encodeURIComponent(name.slice("refs/".length))}`,
    }));
  return list(refs);
}

/**
 * `POST refs`: create, move or delete refs. Each update succeeds or reports why in its result
 * (the service answers 200 with per-ref statuses); a stale oldObjectId is "staleOldObjectId",
 * and a ref protected by a blocking policy refuses updates ("rejectedByPolicy").
 */
function updateRefs(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  const body = ctx.req.body;
  if (!Array.isArray(body) || body.length === 0) throw errors.argument("Value cannot be null.", "refUpdates");
  const results = body.map((u) => {
    const o = obj(u) ?? {};
    const name = str(o.name) ?? "";
    const oldObjectId = (str(o.oldObjectId) ?? "").toLowerCase();
    const newObjectId = (str(o.newObjectId) ?? "").toLowerCase();
    const base = {
      repositoryId: repo.id,
      name,
      oldObjectId,
      newObjectId,
      isLocked: false,
      rejectedBy: null,
      customMessage: null,
    };
    if (
      !/^refs\/(heads|tags)\/.+/.test(name) ||
      !/^[0-9a-f]{40}$/.test(oldObjectId) ||
      !/^[0-9a-f]{40}$/.test(newObjectId)
    ) {
      return { ...base, success: false, updateStatus: "invalidRefName" };
    }
    const current = repo.refs[name] ?? ZERO_ID;
    if (current !== oldObjectId) return { ...base, success: false, updateStatus: "staleOldObjectId" };
    if (newObjectId !== ZERO_ID && !repo.commits[newObjectId])
      return { ...base, success: false, updateStatus: "objectNotFound" };
    if (current !== ZERO_ID && branchIsProtected(ctx.state, repo, name))
      return { ...base, success: false, updateStatus: "rejectedByPolicy" };
    if (newObjectId === ZERO_ID) {
      delete repo.refs[name];
      if (repo.defaultBranch === name) delete repo.defaultBranch;
    } else {
      repo.refs[name] = newObjectId;
      if (name.startsWith("refs/heads/")) repo.defaultBranch ??= name;
    }
    ctx.changed();
    return { ...base, success: true, updateStatus: "succeeded" };
  });
  return list(results);
}

export const gitRepoRoutes: Route[] = [
  {
    id: "225f7195-f9c7-4d14-ab28-a83f7ff77e1f",
    area: "git",
    resource: "repositories",
    template: "{project}/_apis/git/repositories/{repositoryId}",
    resourceVersion: 2,
    methods: {
      GET: (ctx) => (ctx.params.repositoryId ? ok(repoJson(ctx, resolveRepo(ctx))) : listRepositories(ctx)),
      POST: createRepo,
      PATCH: updateRepo,
      DELETE: deleteRepo,
    },
  },
  {
    id: "2d874a60-a811-4f62-9c9f-963a6ea0a55b",
    area: "git",
    resource: "refs",
    template: "{project}/_apis/git/repositories/{repositoryId}/refs/{*filter}",
    resourceVersion: 2,
    methods: { GET: listRefs, POST: updateRefs },
  },
];
