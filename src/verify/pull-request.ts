import {
  GitPullRequestMergeStrategy,
  PullRequestAsyncStatus,
  PullRequestStatus,
} from "azure-devops-node-api/interfaces/GitInterfaces.js";
import { BuildReason } from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import { UserError } from "../engine/errors.js";
import { POLICY_TYPES } from "../../steps/devops/branch-policy.js";
import { branchHead, fullRef, pushCommit, readFiles } from "../../steps/repo/repo-git.js";
import { GateStop, need, runLabel, runLink, waitFor, type Milestone, type VerifyContext } from "./context.js";
import { isBuildValidation, runInfo, type PolicyEvaluation, type RunInfo } from "./devops-runs.js";
import { failedRunError, followRun } from "./follow-run.js";
import { earlierVerify, VERIFY_BRANCH_PREFIX } from "./earlier-run.js";
import { locate } from "./locate.js";

/**
 * The pull-request half of verify: a trivial change on a new branch, its PR, the PR pipeline
 * queued by the branch policy, and the merge.
 */

/**
 * The trivial change. Not under docs/ and not Markdown: the CI trigger excludes those paths,
 * so a docs-only merge would never start CI (and verify would wait for nothing).
 */
export const VERIFY_FILE = ".aks-bootstrap/verify.txt";

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);

/** Milestone 1: a commit on `aks-bootstrap/verify-<time>` and a pull request into the default branch. */
export async function openPullRequest(ctx: VerifyContext): Promise<Milestone> {
  await locate(ctx);
  const previous = await earlierVerify(ctx);
  if (previous) return previous;
  const at = need(ctx.found.located, "the repository");
  const git = await ctx.runs.git();
  const where = { project: at.projectId, repositoryId: at.repositoryId, branch: at.defaultBranch };
  const base = await branchHead(git, where);
  if (!base) {
    throw new UserError(
      `Branch ${at.defaultBranch} of ${at.repositoryName} has no commits`,
      "Run `aks-bootstrap apply` first: it pushes the pipeline files.",
    );
  }
  const now = new Date();
  const branch = `${VERIFY_BRANCH_PREFIX}${stamp(now)}`;
  const existing = await readFiles(git, where, base, [VERIFY_FILE]);
  const content =
    "# Written by `aks-bootstrap verify`: a trivial change that runs the PR, CI and CD pipelines.\n" +
    `# Safe to delete.\nlast verify: ${now.toISOString()}\n`;
  ctx.progress(`pushing ${VERIFY_FILE} to ${branch}`);
  const commit = await pushCommit(
    git,
    where,
    branch,
    base,
    [{ path: VERIFY_FILE, content, kind: existing.has(VERIFY_FILE) ? "edit" : "add" }],
    "aks-bootstrap verify: trivial change to run the PR, CI and CD pipelines",
  );
  if (!commit) throw new Error(`pushing ${branch} returned no commit`);
  const pr = await git.createPullRequest(
    {
      sourceRefName: fullRef(branch),
      targetRefName: fullRef(at.defaultBranch),
      title: "aks-bootstrap verify",
      description:
        `Opened by \`aks-bootstrap verify\` to show the delivery flow working: PR pipeline, merge, CI, CD.\n\n` +
        `It changes only ${VERIFY_FILE}.`,
    },
    at.repositoryId,
    at.projectId,
  );
  if (!pr?.pullRequestId) throw new Error("creating the pull request returned no id");
  const url = `${at.repositoryWeb}/pullrequest/${pr.pullRequestId}`;
  ctx.found.pullRequest = { id: pr.pullRequestId, url, sourceRef: fullRef(branch) };
  return {
    reason: `opened: !${pr.pullRequestId} from ${branch}`,
    links: [{ label: `pull request !${pr.pullRequestId}`, url }],
  };
}

/** Why a queued merge cannot happen (PullRequestAsyncStatus as a number or a name), if it cannot. */
function mergeRefusal(status: unknown): string | undefined {
  if (status === PullRequestAsyncStatus.Conflicts || status === "conflicts") return "the merge has conflicts";
  if (status === PullRequestAsyncStatus.RejectedByPolicy || status === "rejectedByPolicy")
    return "the merge was rejected by a policy";
  if (status === PullRequestAsyncStatus.Failure || status === "failure") return "the merge failed";
  return undefined;
}

/** PullRequestStatus as the node API gives it (a number), or as REST names it. */
const isCompleted = (status: unknown) => status === PullRequestStatus.Completed || status === "completed";
const settled = (e: PolicyEvaluation) => e.status === "approved" || e.status === "notApplicable";

/** The PR pipeline's run for the pull request: the build policy's, else the newest PR build. */
async function findPrRun(ctx: VerifyContext): Promise<RunInfo | undefined> {
  const at = need(ctx.found.located, "the repository");
  const pr = need(ctx.found.pullRequest, "the pull request");
  const ids = need(ctx.found.pipelines, "the pipelines");
  const web = `${ctx.deps.devops.organizationUrl}/${encodeURIComponent(at.projectName)}/_build/results`;
  const evaluation = (await ctx.runs.evaluations(at.projectId, pr.id)).find(isBuildValidation);
  if (evaluation?.buildId !== undefined) {
    const b = await ctx.runs.build(at.projectId, evaluation.buildId);
    if (b) return runInfo(b, web);
  }
  const builds = await ctx.runs.builds(at.projectId, ids.pr, {
    reason: BuildReason.PullRequest,
    branch: `refs/pull/${pr.id}/merge`,
  });
  const newest = builds.sort((a, b) => (b.id ?? 0) - (a.id ?? 0))[0];
  return newest ? runInfo(newest, web) : undefined;
}

/** Milestone 2: the PR pipeline, queued by the build validation policy, passes. */
export async function prCheck(ctx: VerifyContext): Promise<Milestone> {
  const pr = need(ctx.found.pullRequest, "the pull request");
  const name = ctx.deps.names.pipelinePr;
  ctx.progress(`waiting for the build validation policy to queue ${name}`);
  const queued = await waitFor(
    ctx,
    `${name} to be queued for pull request !${pr.id}`,
    () => findPrRun(ctx),
    pr.url,
  );
  ctx.found.prRun = queued;
  const done = await followRun(ctx, queued, name);
  ctx.found.prRun = done;
  if (done.result !== "succeeded" && done.result !== "partiallySucceeded") {
    throw await failedRunError(ctx, done, name, {
      extra: `Pull request !${pr.id} was not completed: the branch policy requires this check to pass.`,
    });
  }
  return { reason: `passed: ${runLabel(done)}`, links: runLink(done) };
}

/** Milestone 3: every blocking policy approved, then the PR completed (merged). */
export async function completePullRequest(ctx: VerifyContext): Promise<Milestone> {
  const at = need(ctx.found.located, "the repository");
  const pr = need(ctx.found.pullRequest, "the pull request");
  const before = await ctx.runs.pullRequest(at, pr.id);
  const earlier = before?.lastMergeCommit?.commitId;
  if (isCompleted(before?.status) && earlier) {
    ctx.found.mergeCommit = earlier;
    return {
      reason: `completed earlier: pull request !${pr.id} merged into ${at.defaultBranch} as ${earlier.slice(0, 8)}`,
      links: [{ label: `pull request !${pr.id}`, url: pr.url }],
    };
  }
  ctx.progress("waiting for the branch policies");
  // --approve (sandbox only) stands in for the reviewer too: the sandbox has no second person,
  // and the author's own vote does not count. It completes with bypassPolicy, and only once
  // every other blocking policy (the build validation above all) is approved.
  let bypassReviewers = false;
  await waitFor(
    ctx,
    `the branch policies of pull request !${pr.id}`,
    async () => {
      const evaluations = await ctx.runs.evaluations(at.projectId, pr.id);
      const blocking = evaluations.filter((e) => e.blocking && !settled(e));
      const reviewers = blocking.find((e) => e.typeId === POLICY_TYPES.reviewers);
      const others = blocking.filter((e) => e !== reviewers);
      const rejected = others.find((e) => e.status === "rejected" || e.status === "broken");
      if (rejected) {
        throw new UserError(
          `Pull request !${pr.id} cannot complete: policy "${rejected.typeName}" is ${rejected.status}`,
          `See ${pr.url}.`,
        );
      }
      if (others.length > 0) {
        ctx.progress(`waiting for ${others.map((e) => `"${e.typeName}" (${e.status})`).join(", ")}`);
        return undefined;
      }
      if (reviewers && !ctx.approve) {
        const n = Number(reviewers.settings.minimumApproverCount ?? 1);
        throw new GateStop(
          `pull request !${pr.id} needs ${n} reviewer approval(s)`,
          [{ label: "review and approve", url: pr.url }],
          "A reviewer other than the author approves it; then rerun `aks-bootstrap verify`: it continues with this pull request.",
        );
      }
      bypassReviewers = reviewers !== undefined;
      return true;
    },
    pr.url,
  );
  const git = await ctx.runs.git();
  const current = await git.getPullRequest(at.repositoryId, pr.id, at.projectId);
  const source = current?.lastMergeSourceCommit?.commitId;
  if (!source) throw new Error(`pull request !${pr.id} reports no source commit`);
  ctx.progress(`completing pull request !${pr.id}`);
  try {
    await git.updatePullRequest(
      {
        status: PullRequestStatus.Completed,
        lastMergeSourceCommit: { commitId: source },
        completionOptions: {
          deleteSourceBranch: true,
          mergeStrategy: GitPullRequestMergeStrategy.NoFastForward,
          mergeCommitMessage: `Merged PR ${pr.id}: aks-bootstrap verify`,
          ...(bypassReviewers
            ? {
                bypassPolicy: true,
                bypassReason: "aks-bootstrap verify --approve on the sandbox: no second reviewer",
              }
            : {}),
        },
      },
      at.repositoryId,
      pr.id,
      at.projectId,
    );
  } catch (err) {
    throw new UserError(
      `Completing pull request !${pr.id} was refused: ${err instanceof Error ? err.message : String(err)}`,
      `See ${pr.url}.`,
    );
  }
  const merge = await waitFor(
    ctx,
    `pull request !${pr.id} to be merged`,
    async () => {
      const p = await git.getPullRequest(at.repositoryId, pr.id, at.projectId);
      if (isCompleted(p?.status)) return p?.lastMergeCommit?.commitId ?? "";
      // Completion merges asynchronously; a merge that cannot happen never completes.
      const refused = mergeRefusal(p?.mergeStatus);
      if (refused) {
        throw new UserError(
          `Pull request !${pr.id} could not be merged into ${at.defaultBranch}: ${refused}`,
          `See ${pr.url}; resolve it there, then rerun \`aks-bootstrap verify\`.`,
        );
      }
      return undefined;
    },
    pr.url,
  );
  if (!merge) throw new Error(`pull request !${pr.id} completed without a merge commit`);
  ctx.found.mergeCommit = merge;
  return {
    reason: `completed: pull request !${pr.id} merged into ${at.defaultBranch} as ${merge.slice(0, 8)}${bypassReviewers ? " (reviewer policy bypassed by --approve)" : ""}`,
    links: [{ label: `pull request !${pr.id}`, url: pr.url }],
  };
}
