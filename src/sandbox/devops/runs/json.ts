import type { Ctx } from "../context.js";
import { identityJson } from "../context.js";
import type { BuildRecord } from "../state.js";
import type { ApprovalRecord, TimelineRecordState } from "./run-state.js";
import { logIdOf, logUrl } from "./logs.js";

/** Wire shapes of runs: Build (build API), Run (pipelines API), Timeline, Approval. */
export function buildWebUrl(ctx: Ctx, b: BuildRecord): string {
  return `${ctx.orgUrl}/${b.projectId}/_build/results?buildId=${b.id}`;
}

function definitionRef(ctx: Ctx, b: BuildRecord) {
  const d = ctx.state.definitions[String(b.definitionId)];
  if (!d) return { id: b.definitionId };
  return {
    drafts: [],
    id: d.id,
    name: d.name,
    url: `${ctx.orgUrl}/${d.projectId}/_apis/build/Definitions/${d.id}?revision=${d.revision}`,
    uri: `vstfs:///Build/Definition/${d.id}`,
    path: d.path,
    type: "build",
    queueStatus: d.queueStatus,
    revision: d.revision,
    project: projectRef(ctx, d.projectId),
  };
}

function projectRef(ctx: Ctx, projectId: string) {
  const p = ctx.state.projects[projectId];
  return p
    ? {
        id: p.id,
        name: p.name,
        url: `${ctx.orgUrl}/_apis/projects/${p.id}`,
        state: p.state,
        revision: p.revision,
        visibility: p.visibility,
      }
    : { id: projectId };
}

/** The run that triggered a resource-triggered run (its `resources.pipelines` alias). */
function triggeredBy(ctx: Ctx, b: BuildRecord): Record<string, unknown> | undefined {
  if (b.reason !== "resourceTrigger") return undefined;
  const r = Object.values(b.pipelineResources)[0];
  const t = r ? ctx.state.builds[String(r.runId)] : undefined;
  if (!t) return undefined;
  return {
    id: t.id,
    buildNumber: t.buildNumber,
    url: `${ctx.orgUrl}/${t.projectId}/_apis/build/Builds/${t.id}`,
    uri: `vstfs:///Build/Build/${t.id}`,
    definition: definitionRef(ctx, t),
  };
}

export function buildJson(ctx: Ctx, b: BuildRecord): Record<string, unknown> {
  const url = `${ctx.orgUrl}/${b.projectId}/_apis/build/Builds/${b.id}`;
  const trigger = triggeredBy(ctx, b);
  const repo = ctx.state.repositories[b.repositoryId];
  const pr = b.pullRequestId !== undefined ? ctx.state.pullRequests[String(b.pullRequestId)] : undefined;
  return {
    _links: {
      self: { href: url },
      web: { href: buildWebUrl(ctx, b) },
      sourceVersionDisplayUri: { href: `${url}/sources` },
      timeline: { href: `${url}/Timeline` },
    },
    properties: {},
    tags: [],
    validationResults: b.validationErrors.map((message) => ({ result: "error", message })),
    plans: [{ planId: b.planId }],
    templateParameters: b.templateParameters,
    triggerInfo: b.triggerInfo,
    id: b.id,
    buildNumber: b.buildNumber,
    status: b.status,
    ...(b.result ? { result: b.result } : {}),
    queueTime: b.queueTime,
    ...(b.startTime ? { startTime: b.startTime } : {}),
    ...(b.finishTime ? { finishTime: b.finishTime } : {}),
    url,
    definition: definitionRef(ctx, b),
    buildNumberRevision: Number(b.buildNumber.split(".")[1] ?? 1),
    project: projectRef(ctx, b.projectId),
    uri: `vstfs:///Build/Build/${b.id}`,
    sourceBranch: b.sourceBranch,
    sourceVersion: b.sourceVersion,
    queue: { id: 1, name: "Azure Pipelines", pool: { id: 1, name: "Azure Pipelines", isHosted: true } },
    priority: "normal",
    reason: b.reason,
    requestedFor: identityJson(ctx, b.requestedFor),
    requestedBy: identityJson(ctx, b.requestedFor),
    lastChangedDate: b.finishTime ?? b.startTime ?? b.queueTime,
    lastChangedBy: identityJson(ctx, b.requestedFor),
    orchestrationPlan: { planId: b.planId },
    logs: { id: 0, type: "Container", url: `${url}/logs` },
    repository: {
      id: b.repositoryId,
      type: "TfsGit",
      name: repo?.name ?? "",
      clean: null,
      checkoutSubmodules: false,
    },
    retainedByRelease: false,
    ...(pr
      ? {
          parameters: JSON.stringify({
            "system.pullRequest.pullRequestId": String(pr.pullRequestId),
            "system.pullRequest.sourceBranch": pr.sourceRefName,
            "system.pullRequest.targetBranch": pr.targetRefName,
          }),
        }
      : {}),
    ...(trigger ? { triggeredByBuild: trigger } : {}),
    appendCommitMessageToRunName: true,
  };
}

export function runJson(ctx: Ctx, b: BuildRecord): Record<string, unknown> {
  const d = ctx.state.definitions[String(b.definitionId)];
  const pipelineUrl = `${ctx.orgUrl}/${b.projectId}/_apis/pipelines/${b.definitionId}?revision=${d?.revision ?? 1}`;
  const url = `${ctx.orgUrl}/${b.projectId}/_apis/pipelines/${b.definitionId}/runs/${b.id}`;
  const pipelines: Record<string, unknown> = {};
  for (const [alias, r] of Object.entries(b.pipelineResources)) {
    pipelines[alias] = {
      pipeline: {
        url: `${ctx.orgUrl}/${b.projectId}/_apis/pipelines/${r.definitionId}/runs/${r.runId}`,
        id: r.runId,
        name: r.runName,
      },
      version: r.runName,
    };
  }
  return {
    _links: {
      self: { href: url },
      web: { href: buildWebUrl(ctx, b) },
      "pipeline.web": {
        href: `${ctx.orgUrl}/${b.projectId}/_build/definition?definitionId=${b.definitionId}`,
      },
      pipeline: { href: pipelineUrl },
    },
    templateParameters: b.templateParameters,
    pipeline: {
      url: pipelineUrl,
      id: b.definitionId,
      revision: d?.revision ?? 1,
      name: d?.name ?? "",
      folder: d?.path ?? "\\",
    },
    state: b.status === "completed" ? "completed" : "inProgress",
    ...(b.result ? { result: b.result } : {}),
    createdDate: b.queueTime,
    ...(b.finishTime ? { finishedDate: b.finishTime } : {}),
    url,
    resources: {
      repositories: {
        self: {
          repository: { id: b.repositoryId, type: "azureReposGit" },
          refName: b.sourceBranch,
          version: b.sourceVersion,
        },
      },
      pipelines,
    },
    variables: Object.fromEntries(Object.entries(b.queueVariables).map(([k, v]) => [k, { value: v }])),
    id: b.id,
    name: b.buildNumber,
  };
}

function recordJson(ctx: Ctx, b: BuildRecord, r: TimelineRecordState): Record<string, unknown> {
  const logId = logIdOf(b, r);
  const errors = r.issues.filter((i) => i.type === "error").length;
  const task = r.step?.task;
  return {
    previousAttempts: [],
    id: r.id,
    parentId: r.parentId,
    type: r.type,
    name: r.name,
    startTime: r.startTime ?? null,
    finishTime: r.finishTime ?? null,
    currentOperation: null,
    percentComplete: r.state === "completed" ? 100 : null,
    state: r.state,
    result: r.result ?? null,
    resultCode: null,
    changeId: 1,
    lastModified: r.finishTime ?? r.startTime ?? b.queueTime,
    workerName: r.type === "Job" && r.state !== "pending" ? (r.server ? "Server" : "Hosted Agent") : null,
    order: r.order,
    details: null,
    errorCount: errors,
    warningCount: r.issues.length - errors,
    url: null,
    log: logId === undefined ? null : { id: logId, type: "Container", url: logUrl(ctx, b, logId) },
    ...(task
      ? { task: { id: taskId(task), name: task.split("@")[0], version: `${task.split("@")[1] ?? "0"}.0.0` } }
      : { task: null }),
    attempt: 1,
    identifier: r.identifier ?? null,
    ...(r.refName ? { refName: r.refName } : {}),
    issues: r.issues.map((i) => ({
      type: i.type,
      category: i.category ?? "General",
      message: i.message,
      data: { type: i.type, logFileLineNumber: "1" },
    })),
  };
}

/** Deterministic task ids (the real ones are the task's published GUID). */
function taskId(task: string): string {
  const known: Record<string, string> = {
    azurecli: "46e4be58-730b-4389-8a2f-ea10b3e5e815",
    docker: "e28912f1-0114-4464-802a-a3a35437fd16",
    kubernetesmanifest: "dee316a2-586f-4def-be79-488a1f503dfe",
    manualvalidation: "a5d6b1c7-5a0e-4a8e-8c2b-6f5a6f1c1d9a",
    publishtestresults: "0b0f01ed-7dde-43ff-9cbb-e48954daf9b1",
    nodetool: "31c75bbb-bcdf-4706-8d7c-4da6a1959bc2",
  };
  return known[task.split("@")[0]?.toLowerCase() ?? ""] ?? "d9bafed4-0b18-4f58-968d-86655b4d2ce9";
}

export function timelineJson(ctx: Ctx, b: BuildRecord): Record<string, unknown> {
  return {
    records: b.records.map((r) => recordJson(ctx, b, r)),
    lastChangedBy: "00000002-0000-8888-8000-000000000000",
    lastChangedOn: b.finishTime ?? b.startTime ?? b.queueTime,
    id: b.planId,
    changeId: b.records.length,
    url: `${ctx.orgUrl}/${b.projectId}/_apis/build/builds/${b.id}/Timeline/${b.planId}`,
  };
}

export function approvalJson(ctx: Ctx, a: ApprovalRecord, withSteps: boolean): Record<string, unknown> {
  const b = ctx.state.builds[String(a.buildId)];
  const d = b ? ctx.state.definitions[String(b.definitionId)] : undefined;
  const self = `${ctx.orgUrl}/${a.projectId}/_apis/pipelines/approvals/${a.id}`;
  return {
    id: a.id,
    steps: withSteps
      ? a.steps.map((s, i) => {
          const who = a.approvers.find((x) => x.id === s.approverId) ?? {
            id: s.approverId,
            displayName: s.approverId,
            uniqueName: s.approverId,
          };
          return {
            assignedApprover: identityJson(ctx, who),
            ...(s.actualApprover
              ? {
                  actualApprover: identityJson(ctx, s.actualApprover),
                  lastModifiedBy: identityJson(ctx, s.actualApprover),
                }
              : {}),
            status: s.status,
            ...(s.comment !== undefined ? { comment: s.comment } : {}),
            ...(s.lastModifiedOn ? { lastModifiedOn: s.lastModifiedOn } : {}),
            order: i + 1,
            initiatedOn: a.createdOn,
            history: [],
          };
        })
      : [],
    status: a.status,
    createdOn: a.createdOn,
    lastModifiedOn: a.lastModifiedOn,
    instructions: a.instructions,
    minRequiredApprovers: a.minRequiredApprovers,
    executionOrder: a.executionOrder,
    blockedApprovers: (a.blockedApprovers ?? []).map((x) => identityJson(ctx, x)),
    _links: { self: { href: self } },
    pipeline: {
      owner: {
        _links: {
          web: { href: b ? buildWebUrl(ctx, b) : "" },
          self: { href: `${ctx.orgUrl}/${a.projectId}/_apis/build/Builds/${a.buildId}` },
        },
        id: a.buildId,
        name: b?.buildNumber ?? "",
      },
      id: String(b?.definitionId ?? ""),
      name: d?.name ?? "",
    },
  };
}
