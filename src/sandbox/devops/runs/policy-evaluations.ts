import type { Ctx } from "../context.js";
import { list, ok, query } from "../context.js";
import { requireProject } from "../environments.js";
import { DevopsError, errors } from "../errors.js";
import { BUILD_POLICY, configJson, MIN_REVIEWERS_POLICY } from "../policy.js";
import type { Route } from "../router.js";
import type { DevopsState } from "../state.js";
import type { PolicyEvaluationState } from "./run-state.js";

/**
 * Policy evaluations of a pull request (`_apis/policy/evaluations?artifactId=...`): what a
 * client waits on before completing it. A build policy follows its build (queued, running,
 * approved, rejected); a reviewers policy is queued until enough votes, as in Azure Repos.
 */
export type EvaluationStatus = "queued" | "running" | "approved" | "rejected" | "notApplicable";
const NS = ["Microsoft.TeamFoundation.Policy.WebApi", "Microsoft.TeamFoundation.Policy.WebApi"] as const;

export function artifactIdOf(projectId: string, pullRequestId: number): string {
  return `vstfs:///CodeReview/CodeReviewId/${projectId}/${pullRequestId}`;
}

export function evaluationStatus(state: DevopsState, ev: PolicyEvaluationState): EvaluationStatus {
  const p = state.policies[String(ev.configurationId)];
  const pr = state.pullRequests[String(ev.pullRequestId)];
  if (!p || !pr) return "notApplicable";
  if (p.typeId === BUILD_POLICY) {
    const b = ev.buildId !== undefined ? state.builds[String(ev.buildId)] : undefined;
    if (!b || b.status === "notStarted") return "queued";
    if (b.status === "inProgress") return "running";
    return b.result === "succeeded" ? "approved" : "rejected";
  }
  if (p.typeId === MIN_REVIEWERS_POLICY) {
    const creatorCounts = p.settings.creatorVoteCounts === true;
    const votes = Object.entries(pr.votes ?? {}).filter(([id]) => creatorCounts || id !== pr.createdBy.id);
    if (p.settings.allowDownvotes !== true && votes.some(([, v]) => v.vote <= -10)) return "rejected";
    const approvals = votes.filter(([, v]) => v.vote >= 5).length;
    return approvals >= Number(p.settings.minimumApproverCount ?? 1) ? "approved" : "queued";
  }
  return "approved";
}

export function evaluationsOf(state: DevopsState, pullRequestId: number): PolicyEvaluationState[] {
  return Object.values(state.policyEvaluations ?? {}).filter((e) => e.pullRequestId === pullRequestId);
}

function evaluationJson(ctx: Ctx, ev: PolicyEvaluationState) {
  const p = ctx.state.policies[String(ev.configurationId)];
  const pr = ctx.state.pullRequests[String(ev.pullRequestId)];
  const b = ev.buildId !== undefined ? ctx.state.builds[String(ev.buildId)] : undefined;
  const status = evaluationStatus(ctx.state, ev);
  const done = status === "approved" || status === "rejected";
  const self = `${ctx.orgUrl}/${ev.projectId}/_apis/policy/evaluations/${ev.evaluationId}`;
  return {
    configuration: p ? configJson(ctx, p) : { id: ev.configurationId },
    artifactId: artifactIdOf(ev.projectId, ev.pullRequestId),
    evaluationId: ev.evaluationId,
    startedDate: ev.startedDate,
    ...(done ? { completedDate: b?.finishTime ?? ev.completedDate ?? ev.startedDate } : {}),
    status,
    context: b
      ? {
          lastMergeCommitId: b.sourceVersion,
          lastMergeSourceCommit: pr?.lastMergeSourceCommit,
          lastMergeTargetCommit: pr?.lastMergeTargetCommit,
          buildId: b.id,
          buildDefinitionId: b.definitionId,
          buildDefinitionName: ctx.state.definitions[String(b.definitionId)]?.name,
          buildIsNotCurrent: false,
          buildStartedUtc: b.startTime ?? b.queueTime,
          isExpired: false,
          buildAfterMerge: false,
          wasAutoRequeued: false,
          buildOutputPreview: null,
        }
      : {},
    _links: { self: { href: self } },
  };
}

function listEvaluations(ctx: Ctx) {
  const project = requireProject(ctx);
  const artifactId = query(ctx, "artifactId");
  if (!artifactId) throw errors.argument("Value cannot be null.", "artifactId");
  const m = /^vstfs:\/\/\/CodeReview\/CodeReviewId\/([^/]+)\/(\d+)$/i.exec(artifactId);
  if (!m) throw errors.argument(`The artifact id '${artifactId}' is not valid.`, "artifactId");
  if ((m[1] as string).toLowerCase() !== project.id) return list([]);
  const includeNotApplicable = query(ctx, "includeNotApplicable") === "true";
  const items = evaluationsOf(ctx.state, Number(m[2]))
    .filter((e) => includeNotApplicable || evaluationStatus(ctx.state, e) !== "notApplicable")
    .sort((a, b) => a.configurationId - b.configurationId);
  return list(items.map((e) => evaluationJson(ctx, e)));
}

function getEvaluation(ctx: Ctx) {
  const project = requireProject(ctx);
  const ev = ctx.state.policyEvaluations?.[(ctx.params.evaluationId ?? "").toLowerCase()];
  if (!ev || ev.projectId !== project.id)
    throw new DevopsError(
      404,
      `The policy evaluation ${ctx.params.evaluationId ?? ""} does not exist.`,
      "PolicyEvaluationNotFoundException",
      ...NS,
    );
  return ok(evaluationJson(ctx, ev));
}

export const policyEvaluationRoutes: Route[] = [
  {
    id: "c23ddff5-229c-4d04-a80b-0fdce9f360c8",
    area: "policy",
    resource: "evaluations",
    template: "{project}/_apis/policy/evaluations",
    resourceVersion: 1,
    methods: { GET: listEvaluations },
  },
  {
    id: "46aecb7a-5d2c-4647-897b-0209505a9fe4",
    area: "policy",
    resource: "evaluations",
    template: "{project}/_apis/policy/evaluations/{evaluationId}",
    resourceVersion: 1,
    methods: { GET: (ctx) => (ctx.params.evaluationId ? getEvaluation(ctx) : listEvaluations(ctx)) },
  },
];
