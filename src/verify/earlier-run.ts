import { PullRequestStatus } from "azure-devops-node-api/interfaces/GitInterfaces.js";
import { fullRef } from "../../steps/repo/repo-git.js";
import { need, runLabel, type Milestone, type VerifyContext } from "./context.js";
import { isBuildValidation } from "./devops-runs.js";
import { cdRunFor, ciRunFor } from "./pipelines.js";

/**
 * Picking up where an earlier verify stopped, so a rerun after a gate continues that pull
 * request or that run instead of pushing another change.
 */

/** Branches verify pushes its trivial change to: `aks-bootstrap/verify-<time>`. */
export const VERIFY_BRANCH_PREFIX = "aks-bootstrap/verify-";

/** The newest pull request an earlier verify opened into the default branch, in `status`. */
async function newestVerifyPullRequest(ctx: VerifyContext, status: PullRequestStatus) {
  const at = need(ctx.found.located, "the repository");
  const git = await ctx.runs.git();
  const found =
    (await git.getPullRequests(
      at.repositoryId,
      { status, targetRefName: fullRef(at.defaultBranch) },
      at.projectId,
      undefined,
      0,
      50,
    )) ?? [];
  return found
    .filter(
      (p) => p.sourceRefName?.startsWith(fullRef(VERIFY_BRANCH_PREFIX)) && p.pullRequestId !== undefined,
    )
    .sort((a, b) => (b.pullRequestId ?? 0) - (a.pullRequestId ?? 0))[0];
}

/**
 * An earlier verify's pull request still open: continued rather than a new one, so a rerun
 * after the reviewer gate (always the first stop on Azure with minimumReviewers >= 1) merges
 * the approved pull request. One whose PR check failed is abandoned: its build validation
 * is not queued again until its own branch changes, so it could never complete.
 */
export async function earlierVerify(ctx: VerifyContext): Promise<Milestone | undefined> {
  const at = need(ctx.found.located, "the repository");
  const git = await ctx.runs.git();
  const open = await newestVerifyPullRequest(ctx, PullRequestStatus.Active);
  if (!open?.pullRequestId || !open.sourceRefName) return unfinishedDelivery(ctx);
  const id = open.pullRequestId;
  const url = `${at.repositoryWeb}/pullrequest/${id}`;
  const check = (await ctx.runs.evaluations(at.projectId, id)).find(isBuildValidation);
  if (check?.status === "rejected") {
    await git.updatePullRequest({ status: PullRequestStatus.Abandoned }, at.repositoryId, id, at.projectId);
    ctx.progress(`abandoned pull request !${id}: its PR check had failed`);
    return undefined;
  }
  ctx.found.pullRequest = { id, url, sourceRef: open.sourceRefName };
  return {
    reason: `continued: !${id} from ${open.sourceRefName.replace(/^refs\/heads\//, "")} (opened by an earlier verify)`,
    links: [{ label: `pull request !${id}`, url }],
  };
}

/**
 * The newest verify pull request already merged whose CI or CD run has not finished (stopped
 * at a gate last time): followed again rather than a new change, so a rerun after an approval
 * shows that run through to production.
 */
async function unfinishedDelivery(ctx: VerifyContext): Promise<Milestone | undefined> {
  const at = need(ctx.found.located, "the repository");
  const merged = await newestVerifyPullRequest(ctx, PullRequestStatus.Completed);
  const merge = merged?.lastMergeCommit?.commitId;
  if (!merged?.pullRequestId || !merge) return undefined;
  const ci = await ciRunFor(ctx, merge);
  if (!ci || (ci.state === "completed" && ci.result !== "succeeded" && ci.result !== "partiallySucceeded"))
    return undefined;
  const cd = ci.state === "completed" ? await cdRunFor(ctx, ci) : undefined;
  if (ci.state === "completed" && (!cd || cd.state === "completed")) return undefined;
  const id = merged.pullRequestId;
  const url = `${at.repositoryWeb}/pullrequest/${id}`;
  ctx.found.pullRequest = { id, url, sourceRef: merged.sourceRefName ?? "" };
  const waiting = cd
    ? `${ctx.deps.names.pipelineCd} ${runLabel(cd)}`
    : `${ctx.deps.names.pipelineCi} ${runLabel(ci)}`;
  return {
    reason: `continued: !${id}, merged by an earlier verify; ${waiting} has not finished`,
    links: [{ label: `pull request !${id}`, url }],
  };
}
