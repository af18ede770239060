import type { Ctx } from "./context.js";
import { bodyObject, identityJson, json, list, ok, query, str } from "./context.js";
import { DevopsError, errors } from "./errors.js";
import { repoJson, repoUrl, resolveRepo } from "./git-repos.js";
import type { Route } from "./router.js";
import { completePullRequest, validatePullRequest } from "./pr-policy.js";
import type { DevopsState, GitPullRequestRecord } from "./state.js";

type PullRequest = DevopsState["pullRequests"][string];
const GIT_NS = "Microsoft.TeamFoundation.Git.Server";
/** PullRequestStatus: names or the node API's numbers. */
const STATUS: Record<string, GitPullRequestRecord["status"] | "all"> = {
  "1": "active",
  "2": "abandoned",
  "3": "completed",
  "4": "all",
  active: "active",
  abandoned: "abandoned",
  completed: "completed",
  all: "all",
};

function prJson(ctx: Ctx, pr: PullRequest): Record<string, unknown> {
  const repo = ctx.state.repositories[pr.repositoryId];
  const url = `${repo ? repoUrl(ctx, repo) : ctx.orgUrl}/pullRequests/${pr.pullRequestId}`;
  return {
    repository: repo ? repoJson(ctx, repo) : { id: pr.repositoryId },
    pullRequestId: pr.pullRequestId,
    codeReviewId: pr.pullRequestId,
    status: pr.status,
    createdBy: identityJson(ctx, pr.createdBy),
    creationDate: pr.creationDate,
    title: pr.title,
    description: pr.description,
    sourceRefName: pr.sourceRefName,
    targetRefName: pr.targetRefName,
    mergeStatus: "succeeded",
    isDraft: pr.isDraft,
    mergeId: pr.lastMergeSourceCommit,
    lastMergeSourceCommit: {
      commitId: pr.lastMergeSourceCommit,
      url: `${repo ? repoUrl(ctx, repo) : ""}/commits/${pr.lastMergeSourceCommit}`,
    },
    lastMergeTargetCommit: {
      commitId: pr.lastMergeTargetCommit,
      url: `${repo ? repoUrl(ctx, repo) : ""}/commits/${pr.lastMergeTargetCommit}`,
    },
    reviewers: Object.values(pr.votes ?? {}).map((v) => ({
      ...identityJson(ctx, v.reviewer),
      vote: v.vote,
      hasDeclined: false,
      isFlagged: false,
    })),
    ...(pr.lastMergeCommit
      ? {
          lastMergeCommit: {
            commitId: pr.lastMergeCommit,
            url: `${repo ? repoUrl(ctx, repo) : ""}/commits/${pr.lastMergeCommit}`,
          },
        }
      : {}),
    ...(pr.closedDate ? { closedDate: pr.closedDate } : {}),
    ...(pr.closedBy ? { closedBy: identityJson(ctx, pr.closedBy) } : {}),
    url,
    supportsIterations: true,
    _links: { self: { href: url }, repository: { href: repo ? repoUrl(ctx, repo) : "" } },
  };
}

function createPullRequest(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "gitPullRequestToCreate");
  const source = str(body.sourceRefName);
  const target = str(body.targetRefName);
  const title = str(body.title);
  if (!source || !target)
    throw errors.argument("Value cannot be null.", source ? "targetRefName" : "sourceRefName");
  if (!title) throw errors.argument("Value cannot be null.", "title");
  if (source === target) {
    throw new DevopsError(
      400,
      "TF401403: The source and target branches cannot be the same.",
      "InvalidArgumentValueException",
      "Microsoft.TeamFoundation.SourceControl.WebApi",
      "Microsoft.TeamFoundation.SourceControl.WebApi",
    );
  }
  const sourceTip = repo.refs[source];
  const targetTip = repo.refs[target];
  if (!sourceTip || !targetTip) {
    throw new DevopsError(
      404,
      `TF401398: The pull request cannot be activated because the source and/or the target branch no longer exists, or the requested refs are not branches`,
      "GitPullRequestCannotBeActivated",
      GIT_NS,
      GIT_NS,
    );
  }
  if (
    Object.values(ctx.state.pullRequests).some(
      (p) =>
        p.repositoryId === repo.id &&
        p.status === "active" &&
        p.sourceRefName === source &&
        p.targetRefName === target,
    )
  ) {
    throw errors.pullRequestExists();
  }
  const pr: PullRequest = {
    repositoryId: repo.id,
    pullRequestId: ctx.state.counters.pullRequest++,
    title,
    description: str(body.description) ?? "",
    sourceRefName: source,
    targetRefName: target,
    status: "active",
    createdBy: ctx.identity,
    creationDate: ctx.nowIso(),
    isDraft: body.isDraft === true,
    lastMergeSourceCommit: sourceTip,
    lastMergeTargetCommit: targetTip,
  };
  ctx.state.pullRequests[String(pr.pullRequestId)] = pr;
  if (!pr.isDraft) validatePullRequest(ctx, repo, pr);
  ctx.changed();
  return json(201, prJson(ctx, pr));
}

/** PATCH: status (completed, abandoned, active), title, description; completion honours branch policies. */
function updatePullRequest(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  const pr = ctx.state.pullRequests[ctx.params.pullRequestId ?? ""];
  if (!pr || pr.repositoryId !== repo.id) throw errors.pullRequestNotFound();
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "gitPullRequestToUpdate");
  const raw = body.status;
  const status = raw === undefined ? undefined : STATUS[String(raw).toLowerCase()];
  if (raw !== undefined && (!status || status === "all"))
    throw errors.argument(`The pull request status '${String(raw)}' is not valid.`, "status");
  if (status && status !== pr.status && pr.status !== "active" && status !== "active") {
    throw new DevopsError(
      409,
      `TF401181: The pull request cannot be edited due to its state.`,
      "GitPullRequestNotEditableException",
      GIT_NS,
      GIT_NS,
    );
  }
  if (str(body.title) !== undefined) pr.title = str(body.title) as string;
  if (str(body.description) !== undefined) pr.description = str(body.description) as string;
  if (status === "completed" && pr.status === "active") completePullRequest(ctx, repo, pr, body);
  else if (status === "abandoned" && pr.status === "active") {
    pr.status = "abandoned";
    pr.closedDate = ctx.nowIso();
    pr.closedBy = ctx.identity;
  }
  ctx.changed();
  return ok(prJson(ctx, pr));
}

/** PUT reviewers/{reviewerId} {vote}: a reviewer's vote (10 approve ... -10 reject). */
function voteOnPullRequest(ctx: Ctx) {
  const repo = resolveRepo(ctx);
  const pr = ctx.state.pullRequests[ctx.params.pullRequestId ?? ""];
  if (!pr || pr.repositoryId !== repo.id) throw errors.pullRequestNotFound();
  const vote = bodyObject(ctx)?.vote;
  if (typeof vote !== "number" || ![10, 5, 0, -5, -10].includes(vote))
    throw errors.argument("The vote must be one of 10, 5, 0, -5, -10.", "reviewer.Vote");
  const reviewerId = (ctx.params.reviewerId ?? "").toLowerCase();
  if (reviewerId !== ctx.identity.id.toLowerCase())
    throw new DevopsError(
      403,
      "TF401186: You can only vote as yourself.",
      "GitPullRequestUnauthorizedException",
      GIT_NS,
      GIT_NS,
    );
  pr.votes = { ...(pr.votes ?? {}), [reviewerId]: { vote, reviewer: ctx.identity } };
  ctx.changed();
  return ok({
    ...identityJson(ctx, ctx.identity),
    reviewerUrl: `${repoUrl(ctx, repo)}/pullRequests/${pr.pullRequestId}/reviewers/${reviewerId}`,
    vote,
    hasDeclined: false,
    isFlagged: false,
  });
}

function searchPullRequests(ctx: Ctx, repositoryId: string | undefined) {
  const status = STATUS[(query(ctx, "searchCriteria.status") ?? "active").toLowerCase()] ?? "active";
  const source = query(ctx, "searchCriteria.sourceRefName");
  const target = query(ctx, "searchCriteria.targetRefName");
  const prs = Object.values(ctx.state.pullRequests)
    .filter((p) =>
      repositoryId
        ? p.repositoryId === repositoryId
        : ctx.state.repositories[p.repositoryId]?.projectId === ctx.project?.id,
    )
    .filter((p) => status === "all" || p.status === status)
    .filter((p) => !source || p.sourceRefName === source)
    .filter((p) => !target || p.targetRefName === target)
    .sort((a, b) => b.pullRequestId - a.pullRequestId);
  return list(prs.map((p) => prJson(ctx, p)));
}

function getPullRequest(ctx: Ctx, repositoryId: string | undefined) {
  const pr = ctx.state.pullRequests[ctx.params.pullRequestId ?? ""];
  if (!pr || (repositoryId && pr.repositoryId !== repositoryId)) throw errors.pullRequestNotFound();
  return ok(prJson(ctx, pr));
}

export const gitPullRequestRoutes: Route[] = [
  {
    id: "9946fd70-0d40-406e-b686-b4744cbbcc37",
    area: "git",
    resource: "pullRequests",
    template: "{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}",
    resourceVersion: 2,
    methods: {
      GET: (ctx) => {
        const repo = resolveRepo(ctx);
        return ctx.params.pullRequestId ? getPullRequest(ctx, repo.id) : searchPullRequests(ctx, repo.id);
      },
      POST: createPullRequest,
      PATCH: updatePullRequest,
    },
  },
  {
    id: "4b6702c7-aa35-4b89-9c96-b9abf6d3e540",
    area: "git",
    resource: "pullRequestReviewers",
    template:
      "{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/reviewers/{reviewerId}",
    resourceVersion: 1,
    methods: { PUT: voteOnPullRequest },
  },
  {
    // getPullRequestsByProject
    id: "a5d28130-9cd2-40fa-9f08-902e7daa9efb",
    area: "git",
    resource: "pullRequests",
    template: "{project}/_apis/git/pullrequests",
    resourceVersion: 2,
    methods: { GET: (ctx) => searchPullRequests(ctx, undefined) },
  },
  {
    id: "01a46dea-7d46-4d40-bc84-319e7c260d99",
    area: "git",
    resource: "pullRequests",
    template: "{project}/_apis/git/pullRequests/{pullRequestId}",
    resourceVersion: 2,
    methods: {
      GET: (ctx) =>
        ctx.params.pullRequestId ? getPullRequest(ctx, undefined) : searchPullRequests(ctx, undefined),
    },
  },
];
