import {
  GitPullRequestMergeStrategy,
  PullRequestStatus,
} from "azure-devops-node-api/interfaces/GitInterfaces.js";
import { BuildReason } from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import { UserError } from "../engine/errors.js";
import { POLICY_TYPES } from "../../steps/devops/branch-policy.js";
import { branchHead, fullRef, pushCommit, readFiles } from "../../steps/repo/repo-git.js";
import { GateStop, need, runLabel, waitFor, type Milestone, type VerifyContext } from "./context.js";
import { runInfo, type PolicyEvaluation, type RunInfo } from "./devops-runs.js";
import { failedRunError, followRun } from "./follow-run.js";
import { cdRunFor, ciRunFor } from "./pipelines.js";

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

/** Project, repository and pipeline ids; refuses clearly when `apply` has not run. */
async function locate(ctx: VerifyContext): Promise<void> {
  const { answers, names } = ctx.deps;
  const project = await ctx.runs.project(answers.devops.project);
  if (!project?.id) {
    throw new UserError(
      `Azure DevOps project ${answers.devops.project} was not found in ${ctx.deps.devops.organizationUrl}`,
      "Run `aks-bootstrap apply` first: verify exercises what apply set up.",
    );
  }
  const repo = await ctx.runs.repository(project.id, answers.devops.repository);
  if (!repo?.id) {
    throw new UserError(
      `Repository ${answers.devops.repository} was not found in project ${answers.devops.project}`,
      "Run `aks-bootstrap apply` first: verify exercises what apply set up.",
    );
  }
  const pipelineIds = await Promise.all(
    [names.pipelinePr, names.pipelineCi, names.pipelineCd].map(async (n) => ({
      name: n,
      id: await ctx.runs.definitionId(project.id!, n),
    })),
  );
  const missing = pipelineIds.filter((p) => p.id === undefined).map((p) => p.name);
  if (missing.length > 0) {
    throw new UserError(
      `Pipeline(s) ${missing.join(", ")} not found in project ${answers.devops.project}`,
      "Run `aks-bootstrap apply` first: it creates the PR, CI and CD pipelines.",
    );
  }
  const [pr, ci, cd] = pipelineIds.map((p) => p.id!) as [number, number, number];
  const org = ctx.deps.devops.organizationUrl;
  ctx.found.located = {
    projectId: project.id,
    projectName: project.name ?? answers.devops.project,
    repositoryId: repo.id,
    repositoryName: repo.name ?? answers.devops.repository,
    repositoryWeb:
      repo.webUrl ??
      `${org}/${encodeURIComponent(answers.devops.project)}/_git/${encodeURIComponent(answers.devops.repository)}`,
    defaultBranch: (repo.defaultBranch ?? fullRef(answers.devops.defaultBranch)).replace(
      /^refs\/heads\//,
      "",
    ),
  };
  ctx.found.pipelines = { pr, ci, cd };
}

/** Milestone 1: a commit on `aks-bootstrap/verify-<time>` and a pull request into the default branch. */
const BRANCH_PREFIX = "aks-bootstrap/verify-";

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
    .filter((p) => p.sourceRefName?.startsWith(fullRef(BRANCH_PREFIX)) && p.pullRequestId !== undefined)
    .sort((a, b) => (b.pullRequestId ?? 0) - (a.pullRequestId ?? 0))[0];
}

/**
 * An earlier verify's pull request still open: continued rather than a new one, so a rerun
 * after the reviewer gate (always the first stop on Azure with minimumReviewers >= 1) merges
 * the approved pull request. One whose PR check failed is abandoned: its build validation
 * is not queued again until its own branch changes, so it could never complete.
 */
async function previousPullRequest(ctx: VerifyContext): Promise<Milestone | undefined> {
  const at = need(ctx.found.located, "the repository");
  const git = await ctx.runs.git();
  const open = await newestVerifyPullRequest(ctx, PullRequestStatus.Active);
  if (!open?.pullRequestId || !open.sourceRefName) return unfinishedDelivery(ctx);
  const id = open.pullRequestId;
  const url = `${at.repositoryWeb}/pullrequest/${id}`;
  const check = (await ctx.runs.evaluations(at.projectId, id)).find(isBuildPolicy);
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

export async function openPullRequest(ctx: VerifyContext): Promise<Milestone> {
  await locate(ctx);
  const previous = await previousPullRequest(ctx);
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
  const branch = `${BRANCH_PREFIX}${stamp(now)}`;
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

/** PullRequestStatus as the node API gives it (a number), or as REST names it. */
const isCompleted = (status: unknown) => status === PullRequestStatus.Completed || status === "completed";
const isBuildPolicy = (e: PolicyEvaluation) => e.typeId === POLICY_TYPES.build;
const settled = (e: PolicyEvaluation) => e.status === "approved" || e.status === "notApplicable";

/** The PR pipeline's run for the pull request: the build policy's, else the newest PR build. */
async function findPrRun(ctx: VerifyContext): Promise<RunInfo | undefined> {
  const at = need(ctx.found.located, "the repository");
  const pr = need(ctx.found.pullRequest, "the pull request");
  const ids = need(ctx.found.pipelines, "the pipelines");
  const web = `${ctx.deps.devops.organizationUrl}/${encodeURIComponent(at.projectName)}/_build/results`;
  const evaluation = (await ctx.runs.evaluations(at.projectId, pr.id)).find(isBuildPolicy);
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
  return { reason: `passed: ${runLabel(done)}`, links: [{ label: runLabel(done), url: done.web }] };
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
