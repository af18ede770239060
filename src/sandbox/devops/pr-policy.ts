import type { Ctx } from "./context.js";
import { obj, str } from "./context.js";
import { DevopsError } from "./errors.js";
import { mergeCommit } from "./git-merge.js";
import { POLICY_TYPES, policyAppliesTo } from "./policy.js";
import { recordPush } from "./git-pushes.js";
import { advance } from "./runs/run-context.js";
import { evaluationsOf, evaluationStatus } from "./runs/policy-evaluations.js";
import { runContext } from "./runs/service.js";
import { queuePullRequestBuilds } from "./runs/triggers.js";
import type { DevopsState, GitRepositoryRecord } from "./state.js";

/**
 * Branch policies at work on pull requests: opening or updating a PR queues its build
 * validation on the merge commit; completing it is refused while a blocking policy is not
 * approved, and otherwise pushes the merge to the target branch (which triggers CI).
 */
type PullRequest = DevopsState["pullRequests"][string];
const GIT_NS = "Microsoft.TeamFoundation.Git.Server";

/** Queues the PR's build validation on a fresh merge commit of its current source and target. */
export function validatePullRequest(ctx: Ctx, repo: GitRepositoryRecord, pr: PullRequest): void {
  const merge = mergeCommit(
    repo,
    pr.lastMergeTargetCommit,
    pr.lastMergeSourceCommit,
    `Merge pull request ${pr.pullRequestId} from ${pr.sourceRefName.replace("refs/heads/", "")} into ${pr.targetRefName.replace("refs/heads/", "")}`,
    ctx.identity,
    ctx.nowIso(),
    0,
  );
  pr.lastMergeCommit = merge.commitId;
  const rc = runContext(ctx.state, ctx.opts);
  queuePullRequestBuilds(rc, pr, merge.commitId, ctx.identity, (p) =>
    policyAppliesTo(p, repo, pr.targetRefName),
  );
  advance(rc);
  ctx.changed();
}

/** A push to a PR's source branch re-queues its validation (and resets votes, per resetOnSourcePush). */
export function refreshPullRequests(ctx: Ctx, repo: GitRepositoryRecord, refName: string): void {
  for (const pr of Object.values(ctx.state.pullRequests)) {
    if (pr.repositoryId !== repo.id || pr.status !== "active") continue;
    const tip = repo.refs[refName];
    if (!tip) continue;
    if (pr.targetRefName === refName) pr.lastMergeTargetCommit = tip;
    if (pr.sourceRefName !== refName || pr.lastMergeSourceCommit === tip) continue;
    pr.lastMergeSourceCommit = tip;
    pr.votes = {};
    validatePullRequest(ctx, repo, pr);
  }
}

/** Blocking policies of the PR that are not approved, with their status. */
export function unmetPolicies(state: DevopsState, pr: PullRequest): { name: string; status: string }[] {
  return evaluationsOf(state, pr.pullRequestId)
    .map((e) => ({ e, p: state.policies[String(e.configurationId)] }))
    .filter(({ p }) => p && p.isEnabled && p.isBlocking && !p.isDeleted)
    .map(({ e, p }) => ({
      name: String(
        p?.settings.displayName ?? POLICY_TYPES.find((t) => t.id === p?.typeId)?.displayName ?? p?.typeId,
      ),
      status: evaluationStatus(state, e),
    }))
    .filter((x) => x.status !== "approved" && x.status !== "notApplicable");
}

/** PATCH status "completed": refused while a blocking policy is unmet (unless bypassPolicy), else merged. */
export function completePullRequest(
  ctx: Ctx,
  repo: GitRepositoryRecord,
  pr: PullRequest,
  body: Record<string, unknown>,
): void {
  const options = obj(body.completionOptions) ?? {};
  const expected = str(obj(body.lastMergeSourceCommit)?.commitId);
  if (expected && expected !== pr.lastMergeSourceCommit) {
    throw new DevopsError(
      409,
      `TF401192: The pull request cannot be completed because its source branch was updated; expected commit ${expected} but the source is at ${pr.lastMergeSourceCommit}.`,
      "GitPullRequestStaleException",
      GIT_NS,
      GIT_NS,
    );
  }
  const unmet = unmetPolicies(ctx.state, pr);
  if (unmet.length > 0 && options.bypassPolicy !== true) {
    // Assumed wording (not verified against the service): the policies that block completion.
    throw new DevopsError(
      409,
      `TF402455: The pull request cannot be completed because a required policy is not satisfied: ${unmet
        .map((u) => `${u.name} (${u.status})`)
        .join(", ")}.`,
      "GitPullRequestPolicyRejectedException",
      GIT_NS,
      GIT_NS,
    );
  }
  const targetTip = repo.refs[pr.targetRefName];
  const sourceTip = repo.refs[pr.sourceRefName] ?? pr.lastMergeSourceCommit;
  if (!targetTip)
    throw new DevopsError(
      404,
      `TF401398: The target branch ${pr.targetRefName} no longer exists.`,
      "GitPullRequestCannotBeActivated",
      GIT_NS,
      GIT_NS,
    );
  const pushId = ctx.state.counters.push++;
  const message = str(options.mergeCommitMessage) ?? `Merged PR ${pr.pullRequestId}: ${pr.title}`;
  const merge = mergeCommit(repo, targetTip, sourceTip, message, ctx.identity, ctx.nowIso(), pushId);
  pr.status = "completed";
  pr.closedDate = ctx.nowIso();
  pr.closedBy = ctx.identity;
  pr.lastMergeCommit = merge.commitId;
  pr.lastMergeTargetCommit = targetTip;
  recordPush(ctx, repo, pr.targetRefName, targetTip, [merge]);
  if (options.deleteSourceBranch === true) delete repo.refs[pr.sourceRefName];
  advance(runContext(ctx.state, ctx.opts));
  ctx.changed();
}
