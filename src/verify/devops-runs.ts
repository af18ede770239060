import type { Build } from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import { BuildReason, BuildResult, BuildStatus } from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import type { GitPullRequest } from "azure-devops-node-api/interfaces/GitInterfaces.js";
import type { DevopsClients } from "../clients/devops.js";
import { normalizeRecords, type Rec } from "./timeline.js";

/**
 * The Azure DevOps calls `verify` makes, one function each: azure-devops-node-api where it has
 * the route (Git, Build, TaskAgent), REST for approvals, policy evaluations and plan events.
 * Nothing here knows which cloud answers.
 */

/** api-version of the preview routes (approvals, policy evaluations, plan events). */
const PREVIEW = "api-version=7.1-preview.1";

export type BuildState = "notStarted" | "inProgress" | "completed";
export type BuildOutcome = "succeeded" | "partiallySucceeded" | "failed" | "canceled" | undefined;

/** A pipeline run (build) as verify reads it. */
export interface RunInfo {
  readonly id: number;
  readonly number: string;
  readonly state: BuildState;
  readonly result: BuildOutcome;
  readonly reason: string;
  readonly sourceBranch: string;
  readonly sourceVersion: string;
  readonly web: string;
  readonly planId?: string;
  readonly queueTime?: number;
  readonly finishTime?: number;
  /** triggerInfo values and the triggering build's id, to find CD runs a CI run started. */
  readonly triggeredBy: readonly string[];
}

const statusName = (s: unknown): BuildState => {
  if (s === BuildStatus.Completed || s === "completed") return "completed";
  if (
    s === BuildStatus.InProgress ||
    s === "inProgress" ||
    s === BuildStatus.Cancelling ||
    s === "cancelling"
  )
    return "inProgress";
  return "notStarted";
};
const resultName = (r: unknown): BuildOutcome => {
  if (r === BuildResult.Succeeded || r === "succeeded") return "succeeded";
  if (r === BuildResult.PartiallySucceeded || r === "partiallySucceeded") return "partiallySucceeded";
  if (r === BuildResult.Failed || r === "failed") return "failed";
  if (r === BuildResult.Canceled || r === "canceled") return "canceled";
  return undefined;
};
const reasonName = (r: unknown): string =>
  typeof r === "number" ? (BuildReason[r] ?? String(r)) : typeof r === "string" ? r : "";
const time = (d: unknown): number | undefined => {
  if (d instanceof Date) return d.getTime();
  if (typeof d === "string") {
    const t = Date.parse(d);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
};

export function runInfo(b: Build, fallbackWeb: string): RunInfo {
  const links = b._links as { web?: { href?: string } } | undefined;
  const plan = b.orchestrationPlan?.planId ?? b.plans?.[0]?.planId;
  const triggered = [
    ...Object.values((b.triggerInfo ?? {}) as Record<string, string>).map(String),
    ...(b.triggeredByBuild?.id !== undefined ? [String(b.triggeredByBuild.id)] : []),
  ];
  const queued = time(b.queueTime);
  const finished = time(b.finishTime);
  return {
    id: b.id ?? 0,
    number: b.buildNumber ?? String(b.id ?? ""),
    state: statusName(b.status),
    result: resultName(b.result),
    reason: reasonName(b.reason),
    sourceBranch: b.sourceBranch ?? "",
    sourceVersion: b.sourceVersion ?? "",
    web: links?.web?.href ?? `${fallbackWeb}?buildId=${b.id ?? 0}`,
    ...(plan ? { planId: plan } : {}),
    ...(queued !== undefined ? { queueTime: queued } : {}),
    ...(finished !== undefined ? { finishTime: finished } : {}),
    triggeredBy: triggered,
  };
}

/** A pending approval of the approvals API, reduced to what verify shows and acts on. */
export interface PendingApproval {
  readonly id: string;
  readonly instructions?: string;
  readonly approvers: readonly string[];
  /** The run (build) the approval belongs to, from `pipeline.owner.id`. */
  readonly runId?: number;
}

interface ApprovalBody {
  id: string;
  status?: string;
  instructions?: string;
  steps?: { assignedApprover?: { displayName?: string; uniqueName?: string } }[];
  pipeline?: { owner?: { id?: number | string } };
}

/** A policy evaluation on a pull request. */
export interface PolicyEvaluation {
  readonly status: "queued" | "running" | "approved" | "rejected" | "notApplicable" | "broken";
  readonly typeId: string;
  readonly typeName: string;
  readonly blocking: boolean;
  readonly buildId?: number;
  readonly settings: Readonly<Record<string, unknown>>;
}

interface EvaluationBody {
  status?: PolicyEvaluation["status"];
  configuration?: {
    isBlocking?: boolean;
    isEnabled?: boolean;
    type?: { id?: string; displayName?: string };
    settings?: Record<string, unknown>;
  };
  context?: { buildId?: number };
}

export interface Located {
  readonly projectId: string;
  readonly projectName: string;
  readonly repositoryId: string;
  readonly repositoryName: string;
  readonly repositoryWeb: string;
  readonly defaultBranch: string;
}

export function devopsRuns(devops: DevopsClients) {
  const api = () => devops.api();
  return {
    async project(name: string) {
      const core = await (await api()).getCoreApi();
      return core.getProject(name);
    },
    async repository(project: string, name: string) {
      const git = await (await api()).getGitApi();
      return git.getRepository(name, project);
    },
    async definitionId(project: string, name: string): Promise<number | undefined> {
      const build = await (await api()).getBuildApi();
      const found = (await build.getDefinitions(project, name)) ?? [];
      return found.find((d) => d.name?.toLowerCase() === name.toLowerCase())?.id;
    },
    async git() {
      return (await api()).getGitApi();
    },
    async pullRequest(at: Located, id: number): Promise<GitPullRequest | null> {
      const git = await (await api()).getGitApi();
      return git.getPullRequest(at.repositoryId, id, at.projectId);
    },
    async builds(
      project: string,
      definitionId: number,
      filter: { reason?: BuildReason; branch?: string; top?: number },
    ): Promise<Build[]> {
      const build = await (await api()).getBuildApi();
      const list = await build.getBuilds(
        project,
        [definitionId],
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        filter.reason,
        undefined,
        undefined,
        undefined,
        undefined,
        filter.top ?? 20,
        undefined,
        undefined,
        undefined,
        undefined,
        filter.branch,
      );
      return [...(list ?? [])];
    },
    async build(project: string, id: number): Promise<Build | null> {
      return (await (await api()).getBuildApi()).getBuild(project, id);
    },
    async timeline(project: string, buildId: number): Promise<Rec[]> {
      const t = await (await (await api()).getBuildApi()).getBuildTimeline(project, buildId);
      return normalizeRecords(t?.records as Parameters<typeof normalizeRecords>[0]);
    },
    async evaluations(projectId: string, pullRequestId: number): Promise<PolicyEvaluation[]> {
      const artifact = `vstfs:///CodeReview/CodeReviewId/${projectId}/${pullRequestId}`;
      const res = await devops.rest<{ value?: EvaluationBody[] }>(
        "GET",
        `${projectId}/_apis/policy/evaluations?artifactId=${encodeURIComponent(artifact)}&${PREVIEW}`,
      );
      return (res.body?.value ?? [])
        .filter((e) => e.configuration?.isEnabled !== false)
        .map((e) => ({
          status: e.status ?? "queued",
          typeId: (e.configuration?.type?.id ?? "").toLowerCase(),
          typeName: e.configuration?.type?.displayName ?? "policy",
          blocking: e.configuration?.isBlocking !== false,
          ...(typeof e.context?.buildId === "number" ? { buildId: e.context.buildId } : {}),
          settings: e.configuration?.settings ?? {},
        }));
    },
    async pendingApprovals(project: string): Promise<PendingApproval[]> {
      const res = await devops.rest<{ value?: ApprovalBody[] }>(
        "GET",
        `${project}/_apis/pipelines/approvals?state=pending&$expand=steps&${PREVIEW}`,
      );
      return (res.body?.value ?? [])
        .filter((a) => (a.status ?? "pending").toLowerCase() === "pending")
        .map((a) => {
          const owner = Number(a.pipeline?.owner?.id);
          return {
            id: a.id,
            ...(a.instructions ? { instructions: a.instructions } : {}),
            approvers: (a.steps ?? [])
              .map((s) => s.assignedApprover?.uniqueName ?? s.assignedApprover?.displayName ?? "")
              .filter(Boolean),
            ...(Number.isFinite(owner) ? { runId: owner } : {}),
          };
        });
    },
    async approve(project: string, approvalId: string, comment: string): Promise<void> {
      await devops.rest("PATCH", `${project}/_apis/pipelines/approvals?${PREVIEW}`, [
        { approvalId, status: "approved", comment },
      ]);
    },
    /** Resumes a ManualValidation task: the TaskCompleted event of the task's plan. */
    async resumeTask(projectId: string, planId: string, jobId: string, taskId: string): Promise<void> {
      await devops.rest(
        "POST",
        `${projectId}/_apis/distributedtask/hubs/build/plans/${planId}/events?${PREVIEW}`,
        {
          name: "TaskCompleted",
          jobId,
          taskId,
          result: "succeeded",
        },
      );
    },
    async groupVariable(project: string, group: string, variable: string): Promise<string | undefined> {
      const agent = await (await api()).getTaskAgentApi();
      const groups = (await agent.getVariableGroups(project, group)) ?? [];
      const g = groups.find((x) => x.name?.toLowerCase() === group.toLowerCase());
      const v = g?.variables?.[variable];
      return v && !v.isSecret ? (v.value ?? undefined) : undefined;
    },
  };
}

export type DevopsRuns = ReturnType<typeof devopsRuns>;
