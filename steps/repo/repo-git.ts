import type { IGitApi } from "azure-devops-node-api/GitApi.js";
import type { IPolicyApi } from "azure-devops-node-api/PolicyApi.js";
import {
  GitVersionType,
  ItemContentType,
  PullRequestStatus,
  VersionControlChangeType,
} from "azure-devops-node-api/interfaces/GitInterfaces.js";

/**
 * The Git side of the repo step, through azure-devops-node-api: read files at the default
 * branch head, find blocking policies, push one commit, open a pull request.
 */

export const ZERO_OBJECT_ID = "0".repeat(40);

/** Which repository and branch. `branch` is a short name (`main`). */
export interface RepoLocation {
  readonly project: string;
  readonly repositoryId: string;
  readonly branch: string;
}

export const fullRef = (branch: string) => (branch.startsWith("refs/") ? branch : `refs/heads/${branch}`);

/** Head commit of a branch; undefined when the branch (or the whole repository) has no commits. */
export async function branchHead(
  git: IGitApi,
  at: RepoLocation,
  branch = at.branch,
): Promise<string | undefined> {
  const ref = fullRef(branch);
  const refs = (await git.getRefs(at.repositoryId, at.project, ref.replace(/^refs\//, ""))) ?? [];
  // The filter is a prefix match: `heads/main` also returns `heads/main-old`.
  return refs.find((r) => r.name === ref)?.objectId;
}

/** Contents of `paths` at `commit`; absent files are left out. */
export async function readFiles(
  git: IGitApi,
  at: RepoLocation,
  /** A commit id, or `{ branch }` to read the branch's tip without resolving it first. */
  at_: string | { readonly branch: string },
  paths: readonly string[],
): Promise<Map<string, string>> {
  const version =
    typeof at_ === "string"
      ? { version: at_, versionType: GitVersionType.Commit }
      : { version: at_.branch, versionType: GitVersionType.Branch };
  const entries = await Promise.all(
    paths.map(async (path) => {
      // A missing path is a 404, which azure-devops-node-api returns as null.
      const item = await git.getItem(
        at.repositoryId,
        `/${path}`,
        at.project,
        undefined,
        undefined,
        false,
        false,
        false,
        version,
        true,
      );
      return item && !item.isFolder && typeof item.content === "string"
        ? ([path, item.content] as const)
        : undefined;
    }),
  );
  return new Map(entries.filter((e): e is readonly [string, string] => e !== undefined));
}

interface PolicyScope {
  readonly repositoryId?: string | null;
  readonly refName?: string;
  readonly matchKind?: string;
}

/**
 * Whether an enabled, blocking policy applies to the branch: then Azure Repos refuses direct
 * pushes (TF402455) and changes must arrive through a pull request.
 */
export async function branchIsProtected(
  policy: IPolicyApi,
  at: RepoLocation,
  defaultBranch: string,
): Promise<boolean> {
  const ref = fullRef(at.branch);
  const configs = (await policy.getPolicyConfigurations(at.project)) ?? [];
  return configs.some((c) => {
    if (!c.isEnabled || !c.isBlocking || c.isDeleted) return false;
    const scopes = ((c.settings as { scope?: PolicyScope[] } | undefined)?.scope ?? []) as PolicyScope[];
    return scopes.some((s) => {
      if (s.repositoryId && s.repositoryId.toLowerCase() !== at.repositoryId.toLowerCase()) return false;
      const kind = (s.matchKind ?? "exact").toLowerCase();
      if (kind === "defaultbranch") return fullRef(defaultBranch) === ref;
      if (!s.refName) return true;
      return kind === "prefix" ? ref.startsWith(s.refName) : ref === s.refName;
    });
  });
}

/** One file to write in the push. */
export interface FileChange {
  readonly path: string;
  readonly content: string;
  /** add: absent at the parent commit; edit: present. */
  readonly kind: "add" | "edit";
}

/**
 * Pushes one commit with every change onto `branch`. `oldObjectId` is the branch's current
 * head, the zero id for the first commit of an empty repository, or - for a new branch - the
 * commit it starts from.
 */
export async function pushCommit(
  git: IGitApi,
  at: RepoLocation,
  branch: string,
  oldObjectId: string,
  changes: readonly FileChange[],
  comment: string,
): Promise<string | undefined> {
  const push = await git.createPush(
    {
      refUpdates: [{ name: fullRef(branch), oldObjectId }],
      commits: [
        {
          comment,
          changes: changes.map((c) => ({
            changeType: c.kind === "add" ? VersionControlChangeType.Add : VersionControlChangeType.Edit,
            item: { path: `/${c.path}` },
            newContent: { content: c.content, contentType: ItemContentType.RawText },
          })),
        },
      ],
    },
    at.repositoryId,
    at.project,
  );
  return push.refUpdates?.[0]?.newObjectId ?? push.commits?.[push.commits.length - 1]?.commitId;
}

export interface PullRequestRef {
  readonly id: number;
  readonly sourceBranch: string;
  readonly url?: string;
}

/** Active pull requests into `at.branch` from branches starting with `sourcePrefix`. */
export async function activePullRequests(
  git: IGitApi,
  at: RepoLocation,
  sourcePrefix: string,
): Promise<PullRequestRef[]> {
  const prs =
    (await git.getPullRequests(
      at.repositoryId,
      { targetRefName: fullRef(at.branch), status: PullRequestStatus.Active },
      at.project,
    )) ?? [];
  return prs
    .filter((p) => p.pullRequestId !== undefined && p.sourceRefName?.startsWith(fullRef(sourcePrefix)))
    .map((p) => ({
      id: p.pullRequestId as number,
      sourceBranch: (p.sourceRefName ?? "").replace(/^refs\/heads\//, ""),
      ...(p.url ? { url: p.url } : {}),
    }));
}

export async function openPullRequest(
  git: IGitApi,
  at: RepoLocation,
  sourceBranch: string,
  title: string,
  description: string,
): Promise<PullRequestRef> {
  const pr = await git.createPullRequest(
    { sourceRefName: fullRef(sourceBranch), targetRefName: fullRef(at.branch), title, description },
    at.repositoryId,
    at.project,
  );
  if (pr.pullRequestId === undefined) throw new Error("the service returned a pull request without an id");
  return { id: pr.pullRequestId, sourceBranch, ...(pr.url ? { url: pr.url } : {}) };
}

/** Azure Repos error codes the step reacts to. */
export function gitErrorCode(err: unknown): "stale-ref" | "policy-rejected" | undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes("TF401028")) return "stale-ref";
  if (message.includes("TF402455")) return "policy-rejected";
  return undefined;
}
