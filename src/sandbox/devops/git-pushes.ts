import type { Ctx } from "./context.js";
import { bodyObject, identityJson, json, list, obj, ok, query, str } from "./context.js";
import { DevopsError, errors } from "./errors.js";
import { blobId, commitRecord, ZERO_ID } from "./git-objects.js";
import { normalizePath } from "./git-content.js";
import { repoUrl, resolveRepo } from "./git-repos.js";
import { branchIsProtected } from "./policy.js";
import type { Route } from "./router.js";
import { refreshPullRequests } from "./pr-policy.js";
import { advance } from "./runs/run-context.js";
import { runContext } from "./runs/service.js";
import { onPush } from "./runs/triggers.js";
import type { GitCommitRecord, GitPushRecord, GitRepositoryRecord } from "./state.js";

/** VersionControlChangeType and ItemContentType arrive as names or numbers (node API). */
const CHANGE_TYPES: Record<string, "add" | "edit" | "delete" | "rename"> = {
  "1": "add",
  "2": "edit",
  "16": "delete",
  "8": "rename",
  add: "add",
  edit: "edit",
  delete: "delete",
  rename: "rename",
};
const CONTENT_TYPES: Record<string, "rawtext" | "base64encoded"> = {
  "0": "rawtext",
  "1": "base64encoded",
  rawtext: "rawtext",
  base64encoded: "base64encoded",
};

function pushJson(ctx: Ctx, repo: GitRepositoryRecord, p: GitPushRecord): Record<string, unknown> {
  const url = `${repoUrl(ctx, repo)}/pushes/${p.pushId}`;
  return {
    commits: p.commitIds.map((id) => {
      const c = repo.commits[id] as GitCommitRecord;
      return {
        commitId: c.commitId,
        treeId: c.treeId,
        author: c.author,
        committer: c.author,
        comment: c.comment,
        parents: c.parents,
        url: `${repoUrl(ctx, repo)}/commits/${c.commitId}`,
      };
    }),
    refUpdates: p.refUpdates.map((r) => ({ repositoryId: repo.id, ...r })),
    repository: { id: repo.id, name: repo.name, url: repoUrl(ctx, repo), project: { id: repo.projectId } },
    pushedBy: identityJson(ctx, p.pushedBy),
    pushId: p.pushId,
    date: p.date,
    url,
    _links: {
      self: { href: url },
      repository: { href: repoUrl(ctx, repo) },
      commits: { href: `${url}/commits` },
      pusher: { href: `${ctx.orgUrl}/_apis/Identities/${p.pushedBy.id}` },
      refs: { href: `${repoUrl(ctx, repo)}/refs/${p.refUpdates[0]?.name ?? ""}` },
    },
  };
}

const invalid = (message: string) =>
  errors.badRequest(message, "InvalidArgumentValueException", [
    "Microsoft.TeamFoundation.SourceControl.WebApi",
    "Microsoft.TeamFoundation.SourceControl.WebApi",
  ]);

function createPush(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "push");
  const refUpdates = Array.isArray(body.refUpdates) ? body.refUpdates.map(obj) : undefined;
  const commits = Array.isArray(body.commits) ? body.commits.map(obj) : undefined;
  if (!refUpdates || refUpdates.length !== 1 || !refUpdates[0])
    throw invalid("The push must contain exactly one ref update.");
  if (!commits || commits.length === 0 || commits.some((c) => !c))
    throw invalid("The push must contain at least one commit.");
  const refName = str(refUpdates[0].name);
  const oldObjectId = (str(refUpdates[0].oldObjectId) ?? "").toLowerCase();
  if (!refName || !refName.startsWith("refs/heads/"))
    throw invalid(`The ref name '${refName ?? ""}' is not valid; it must start with refs/heads/.`);
  if (!/^[0-9a-f]{40}$/.test(oldObjectId))
    throw invalid("The oldObjectId of a ref update must be a 40-character commit id.");

  const tip = repo.refs[refName];
  let parent: string | undefined;
  if (tip !== undefined) {
    if (oldObjectId !== tip) throw errors.refStale(refName);
    parent = tip;
  } else if (oldObjectId !== ZERO_ID) {
    // A new branch based on an existing commit (how the service creates branches by push).
    if (!repo.commits[oldObjectId]) throw errors.refStale(refName);
    parent = oldObjectId;
  }
  if (branchIsProtected(ctx.state, repo, refName)) throw errors.pushRejectedByPolicy();

  const now = ctx.nowIso();
  const author = {
    name: ctx.identity.displayName,
    email: ctx.identity.uniqueName,
    date: now.replace(/\.\d+Z$/, "Z"),
  };
  const newBlobs: Record<string, string> = {};
  const newCommits: GitCommitRecord[] = [];
  let tree: Record<string, string> = parent ? { ...(repo.commits[parent]?.tree ?? {}) } : {};
  // The id is taken only once the push is known to be valid (a refused push uses none).
  const pushId = ctx.state.counters.push;
  for (const c of commits as Record<string, unknown>[]) {
    const comment = str(c.comment);
    if (comment === undefined) throw invalid("Each commit must have a comment.");
    const changes = Array.isArray(c.changes) ? c.changes.map(obj) : [];
    if (changes.length === 0) throw invalid("Each commit must contain at least one change.");
    const counts = { Add: 0, Edit: 0, Delete: 0 };
    tree = { ...tree };
    for (const ch of changes) {
      const type = CHANGE_TYPES[String(ch?.changeType ?? "").toLowerCase()];
      const path = str(obj(ch?.item)?.path);
      if (!type || !path)
        throw invalid("Each change must have a changeType (add, edit, delete, rename) and an item path.");
      const p = normalizePath(path);
      if (p === "/") throw invalid(`The path '${path}' is not a valid file path.`);
      const exists = tree[p] !== undefined;
      if (type === "delete") {
        if (!exists) throw errors.itemNotFound(p, repo.name);
        delete tree[p];
        counts.Delete++;
        continue;
      }
      if (type === "rename") {
        const from = normalizePath(str(ch?.sourceServerItem));
        const id = tree[from];
        if (id === undefined) throw errors.itemNotFound(from, repo.name);
        if (exists)
          throw invalid(`TF402459: The path '${p}' specified in the rename operation already exists.`);
        delete tree[from];
        tree[p] = id;
        counts.Edit++;
        continue;
      }
      if (type === "add" && exists)
        throw invalid(
          `TF402458: The path '${p}' specified in the add operation already exists. Please specify a new path.`,
        );
      if (type === "edit" && !exists) throw errors.itemNotFound(p, repo.name);
      const nc = obj(ch?.newContent);
      const content = str(nc?.content);
      const ctype = CONTENT_TYPES[String(nc?.contentType ?? "rawtext").toLowerCase()];
      if (content === undefined || !ctype)
        throw invalid(
          "Each add or edit change must carry newContent with content and contentType rawtext or base64encoded.",
        );
      if (ctype === "base64encoded" && !/^[A-Za-z0-9+/]*={0,2}$/.test(content.replace(/\s/g, "")))
        throw invalid("The content is not valid base64.");
      const bytes = ctype === "rawtext" ? Buffer.from(content, "utf8") : Buffer.from(content, "base64");
      const id = blobId(bytes);
      newBlobs[id] = bytes.toString("base64");
      tree[p] = id;
      if (type === "add") counts.Add++;
      else counts.Edit++;
    }
    const parents =
      newCommits.length > 0
        ? [newCommits[newCommits.length - 1]?.commitId as string]
        : parent
          ? [parent]
          : [];
    newCommits.push(commitRecord({ parents, comment, author, tree, pushId, changeCounts: counts }));
  }
  ctx.state.counters.push++;
  Object.assign(repo.blobs, newBlobs);
  const push = recordPush(ctx, repo, refName, oldObjectId, newCommits);
  // The service answers 201 although the spec declares 200 (see the specs' SOURCE.md).
  return json(201, pushJson(ctx, repo, push));
}

/**
 * Moves the branch to the last of `commits` (already validated), records the push, and lets
 * what listens to pushes react: CI triggers, and build validation of the pull requests whose
 * source branch moved.
 */
export function recordPush(
  ctx: Ctx,
  repo: GitRepositoryRecord,
  refName: string,
  oldObjectId: string,
  commits: readonly GitCommitRecord[],
): GitPushRecord {
  const newTip = commits[commits.length - 1]?.commitId as string;
  const previous = repo.refs[refName];
  for (const c of commits) repo.commits[c.commitId] = c;
  repo.refs[refName] = newTip;
  repo.defaultBranch ??= refName;
  const push: GitPushRecord = {
    pushId: commits[0]?.pushId ?? ctx.state.counters.push - 1,
    date: ctx.nowIso(),
    pushedBy: ctx.identity,
    commitIds: commits.map((c) => c.commitId),
    refUpdates: [{ name: refName, oldObjectId, newObjectId: newTip }],
  };
  repo.pushes.push(push);
  const rc = runContext(ctx.state, ctx.opts);
  onPush(rc, repo, refName, previous, newTip, ctx.identity, commits[commits.length - 1]?.comment ?? "");
  refreshPullRequests(ctx, repo, refName);
  advance(rc);
  ctx.changed();
  return push;
}

function getPushes(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  const id = ctx.params.pushId;
  if (id !== undefined) {
    const p = repo.pushes.find((x) => String(x.pushId) === id);
    if (!p)
      throw new DevopsError(
        404,
        `TF401014: The push with id ${id} does not exist.`,
        "GitPushNotFoundException",
        "Microsoft.TeamFoundation.Git.Server",
        "Microsoft.TeamFoundation.Git.Server",
      );
    return ok(pushJson(ctx, repo, p));
  }
  const refName = query(ctx, "searchCriteria.refName");
  const pushes = repo.pushes
    .filter((p) => !refName || p.refUpdates.some((r) => r.name === refName))
    .reverse();
  return list(pushes.map((p) => pushJson(ctx, repo, p)));
}

export const gitPushRoutes: Route[] = [
  {
    id: "ea98d07b-3c87-4971-8ede-a613694ffb55",
    area: "git",
    resource: "pushes",
    template: "{project}/_apis/git/repositories/{repositoryId}/pushes/{pushId}",
    resourceVersion: 3,
    methods: { GET: getPushes, POST: createPush },
  },
];
