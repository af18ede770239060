import type { SandboxResponse } from "../types.js";
import type { Ctx } from "./context.js";
import { list, ok, query } from "./context.js";
import { DevopsError, errors } from "./errors.js";
import { folderTreeIds } from "./git-objects.js";
import { repoUrl, resolveRepo } from "./git-repos.js";
import type { Route } from "./router.js";
import type { GitCommitRecord, GitRepositoryRecord } from "./state.js";

const GIT_NS = "Microsoft.TeamFoundation.Git.Server";

/** Enum values arrive as names or, from azure-devops-node-api, as numbers. */
const VERSION_TYPES: Record<string, "branch" | "tag" | "commit"> = {
  "0": "branch",
  "1": "tag",
  "2": "commit",
  branch: "branch",
  tag: "tag",
  commit: "commit",
};
const RECURSION: Record<string, "none" | "oneLevel" | "full"> = {
  "0": "none",
  "1": "oneLevel",
  "4": "oneLevel",
  "120": "full",
  none: "none",
  onelevel: "oneLevel",
  onelevelplusnestedemptyfolders: "oneLevel",
  full: "full",
};

export function normalizePath(p: string | undefined): string {
  if (!p) return "/";
  const s = `/${p.replace(/\\/g, "/").replace(/^\/+/, "")}`.replace(/\/+/g, "/");
  return s.length > 1 ? s.replace(/\/$/, "") : s;
}

/** Resolves a version descriptor (branch, tag or commit; default branch when absent) to a commit. */
export function resolveCommit(ctx: Ctx, repo: GitRepositoryRecord, prefix: string): GitCommitRecord {
  const version = query(ctx, `${prefix}.version`);
  const type = VERSION_TYPES[(query(ctx, `${prefix}.versionType`) ?? "branch").toLowerCase()] ?? "branch";
  if (!version) {
    const tip = repo.defaultBranch ? repo.refs[repo.defaultBranch] : undefined;
    const commit = tip ? repo.commits[tip] : undefined;
    if (!commit) {
      throw new DevopsError(
        404,
        `TF401019: The Git repository with name or identifier ${repo.name} does not exist or you do not have permissions for the operation you are attempting.`,
        "GitRepositoryNotFoundException",
        GIT_NS,
        GIT_NS,
      );
    }
    return commit;
  }
  const id =
    type === "commit"
      ? version.toLowerCase()
      : repo.refs[
          `refs/${type === "tag" ? "tags" : "heads"}/${version.replace(/^refs\/(heads|tags)\//, "")}`
        ];
  const commit = id ? repo.commits[id] : undefined;
  if (!commit) {
    const label = type === "commit" ? "Commit" : type === "tag" ? "Tag" : "Branch";
    throw new DevopsError(
      404,
      `TF401175:The version descriptor <${label}: ${version}> could not be resolved to a version in the repository ${repo.name}`,
      "GitUnresolvableToCommitException",
      GIT_NS,
      GIT_NS,
    );
  }
  return commit;
}

function itemJson(
  ctx: Ctx,
  repo: GitRepositoryRecord,
  commit: GitCommitRecord,
  path: string,
  objectId: string,
  folder: boolean,
  content?: string,
) {
  return {
    objectId,
    gitObjectType: folder ? "tree" : "blob",
    commitId: commit.commitId,
    path,
    ...(folder ? { isFolder: true } : {}),
    ...(content !== undefined ? { content } : {}),
    url: `${repoUrl(ctx, repo)}/items?path=${encodeURIComponent(path)}&versionType=Branch&versionOptions=None`,
  };
}

function getItems(ctx: Ctx): SandboxResponse {
  const repo = resolveRepo(ctx);
  const single = query(ctx, "path") !== undefined;
  const path = normalizePath(query(ctx, "path") ?? query(ctx, "scopePath"));
  const commit = resolveCommit(ctx, repo, "versionDescriptor");
  const folders = folderTreeIds(commit.tree);
  const blob = commit.tree[path];
  const folderId = folders.get(path === "/" ? "" : path);
  if (blob === undefined && folderId === undefined) throw errors.itemNotFound(path, repo.name);
  const accept = (ctx.req.headers.accept ?? "").toLowerCase();
  const raw =
    accept.includes("text/plain") ||
    accept.includes("application/octet-stream") ||
    accept.includes("application/zip");
  if (blob !== undefined && (raw || query(ctx, "download") === "true")) {
    const bytes = Buffer.from(repo.blobs[blob] ?? "", "base64");
    return {
      status: 200,
      headers: {
        "content-type": accept.includes("text/plain")
          ? "text/plain; charset=utf-8"
          : "application/octet-stream",
      },
      body: bytes.toString("utf8"),
    };
  }
  const includeContent = query(ctx, "includeContent") === "true";
  if (single && blob !== undefined) {
    const text = includeContent ? Buffer.from(repo.blobs[blob] ?? "", "base64").toString("utf8") : undefined;
    return ok(itemJson(ctx, repo, commit, path, blob, false, text));
  }
  const level = RECURSION[(query(ctx, "recursionLevel") ?? "none").toLowerCase()] ?? "none";
  if (blob !== undefined) return list([itemJson(ctx, repo, commit, path, blob, false)]);
  const root = path === "/" ? "" : path;
  const inScope = (p: string) => {
    if (!p.startsWith(`${root}/`)) return false;
    const depth = p.slice(root.length + 1).split("/").length;
    return level === "full" || (level === "oneLevel" && depth === 1);
  };
  const items = [itemJson(ctx, repo, commit, path, folderId ?? "", true)];
  if (single && level === "none") return ok(items[0]);
  for (const [p, id] of [...folders.entries()].sort(([a], [b]) => a.localeCompare(b)))
    if (p && inScope(p)) items.push(itemJson(ctx, repo, commit, p, id, true));
  for (const p of Object.keys(commit.tree).sort())
    if (inScope(p)) items.push(itemJson(ctx, repo, commit, p, commit.tree[p] ?? "", false));
  return list(items);
}

export function commitJson(ctx: Ctx, repo: GitRepositoryRecord, c: GitCommitRecord): Record<string, unknown> {
  const url = `${repoUrl(ctx, repo)}/commits/${c.commitId}`;
  return {
    commitId: c.commitId,
    treeId: c.treeId,
    parents: c.parents,
    author: c.author,
    committer: c.author,
    comment: c.comment,
    changeCounts: c.changeCounts,
    url,
    remoteUrl: `${ctx.orgUrl}/${repo.projectId}/_git/${repo.name}/commit/${c.commitId}`,
    _links: { self: { href: url }, repository: { href: repoUrl(ctx, repo) } },
  };
}

function getCommit(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  const id = (ctx.params.commitId ?? "").toLowerCase();
  const c = repo.commits[id];
  if (!c) throw errors.commitNotFound(id, repo.name);
  return ok(commitJson(ctx, repo, c));
}

/** Commits reachable from the requested version (default branch), newest first. */
function listCommits(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  if (Object.keys(repo.commits).length === 0) return list([]);
  const start = resolveCommit(ctx, repo, "searchCriteria.itemVersion");
  const top = Number(query(ctx, "searchCriteria.$top") ?? query(ctx, "$top") ?? "100");
  const out: GitCommitRecord[] = [];
  const queue = [start.commitId];
  const seen = new Set<string>();
  while (queue.length > 0 && out.length < top) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const c = repo.commits[id];
    if (!c) continue;
    out.push(c);
    queue.push(...c.parents);
  }
  return list(out.map((c) => commitJson(ctx, repo, c)));
}

export const gitContentRoutes: Route[] = [
  {
    id: "fb93c0db-47ed-4a31-8c20-47552878fb44",
    area: "git",
    resource: "items",
    template: "{project}/_apis/git/repositories/{repositoryId}/items/{*path}",
    resourceVersion: 1,
    methods: { GET: getItems },
  },
  {
    id: "c2570c3b-5b3f-41b8-98bf-5407bfde8d58",
    area: "git",
    resource: "commits",
    template: "{project}/_apis/git/repositories/{repositoryId}/commits/{commitId}",
    resourceVersion: 2,
    methods: { GET: (ctx) => (ctx.params.commitId ? getCommit(ctx) : listCommits(ctx)) },
  },
];
