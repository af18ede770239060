import { randomUUID } from "node:crypto";
import { APPROVAL_CHECK } from "../checks.js";
import { approverName } from "./approvers.js";
import type { BuildRecord } from "../state.js";
import type { RunEngineEnv } from "./engine.js";
import { children, iso, ms, scaled } from "./engine.js";
import {
  CONNECTION_INPUTS,
  findEndpoint,
  findEnvironmentByName,
  findGroup,
  isAuthorized,
  type UsedResource,
} from "./resource-use.js";
import type { ApprovalRecord, TimelineRecordState } from "./run-state.js";
import { expandMacros, jobVariables } from "./variables.js";

export type Gate = { state: "passed"; at: number } | { state: "waiting" } | { state: "failed"; at: number };

const TYPE_LABEL: Record<UsedResource["type"], string> = {
  endpoint: "service connection",
  variablegroup: "variable group",
  environment: "environment",
};

/** The protected resources a stage's jobs use. */
function stageResources(env: RunEngineEnv, b: BuildRecord, stage: TimelineRecordState): UsedResource[] {
  const out = new Map<string, UsedResource>();
  const add = (r: UsedResource | undefined) => r && out.set(`${r.type}/${r.id}`, r);
  const groupNames = [...b.groups, ...(stage.groups ?? [])];
  for (const phase of children(b, stage, "Phase")) {
    for (const job of children(b, phase, "Job")) {
      groupNames.push(...(job.groups ?? []));
      if (job.environment) {
        const e = findEnvironmentByName(env.state, b.projectId, job.environment);
        if (e) add({ type: "environment", id: String(e.id), name: e.name });
      }
      const vars = jobVariables(env.state, b, stage, job);
      for (const task of children(b, job, "Task")) {
        for (const input of CONNECTION_INPUTS) {
          const name = task.step?.inputs[input];
          if (!name) continue;
          const e = findEndpoint(env.state, b.projectId, expandMacros(name, vars));
          if (e) add({ type: "endpoint", id: e.id, name: e.name });
        }
      }
    }
  }
  for (const name of groupNames) {
    const g = findGroup(env.state, b.projectId, name);
    if (g) add({ type: "variablegroup", id: String(g.id), name: g.name });
  }
  return [...out.values()];
}

function permissionMessage(stage: TimelineRecordState, missing: UsedResource[]): string {
  const what = missing.length === 1 ? "a resource" : `${missing.length} resources`;
  const list = missing.map((r) => `${TYPE_LABEL[r.type]} '${r.name}'`).join(", ");
  return `This pipeline needs permission to access ${what} before this run can continue to ${stage.name}: ${list}. A project administrator can permit it (pipelinePermissions) for this pipeline.`;
}

function record(
  b: BuildRecord,
  parent: TimelineRecordState,
  type: TimelineRecordState["type"],
  at: number,
  id: string = randomUUID(),
  identifier?: string,
): TimelineRecordState {
  const r: TimelineRecordState = {
    id,
    parentId: parent.id,
    type,
    name: type,
    ...(identifier ? { identifier } : {}),
    order: b.records.filter((x) => x.parentId === parent.id && x.type.startsWith("Checkpoint")).length + 1,
    state: "inProgress",
    startTime: iso(at),
    issues: [],
  };
  b.records.push(r);
  return r;
}

function finish(r: TimelineRecordState, result: "succeeded" | "failed", at: number) {
  r.state = "completed";
  r.result = result;
  r.finishTime = iso(at);
}

/** Approval checks on the environments the stage deploys to. */
function approvalChecks(env: RunEngineEnv, b: BuildRecord, stage: TimelineRecordState) {
  const envIds = stageResources(env, b, stage)
    .filter((r) => r.type === "environment")
    .map((r) => r.id);
  return Object.values(env.state.checks).filter(
    (c) =>
      c.projectId === b.projectId &&
      c.type.id === APPROVAL_CHECK &&
      c.resource.type.toLowerCase() === "environment" &&
      envIds.includes(c.resource.id),
  );
}

function newApproval(
  env: RunEngineEnv,
  b: BuildRecord,
  stage: TimelineRecordState,
  id: string,
  settings: Record<string, unknown>,
  timeout: number,
  at: number,
): ApprovalRecord {
  const approvers = (Array.isArray(settings.approvers) ? settings.approvers : []).map((a) => {
    const o = a as Record<string, unknown>;
    const id = String(o.id);
    const known = approverName(env.state, id);
    return {
      id,
      displayName: String(o.displayName ?? known.displayName),
      uniqueName: String(o.uniqueName ?? known.uniqueName),
    };
  });
  const min = typeof settings.minRequiredApprovers === "number" ? settings.minRequiredApprovers : 0;
  const blocked = (Array.isArray(settings.blockedApprovers) ? settings.blockedApprovers : []).map((a) => {
    const known = approverName(env.state, String((a as Record<string, unknown>).id));
    return { id: known.id, displayName: known.displayName, uniqueName: known.uniqueName };
  });
  if (settings.requesterCannotBeApprover === true && !blocked.some((x) => x.id === b.requestedFor.id))
    blocked.push({ ...b.requestedFor });
  return {
    id,
    projectId: b.projectId,
    buildId: b.id,
    stageRecordId: stage.id,
    status: "pending",
    createdOn: iso(at),
    lastModifiedOn: iso(at),
    instructions: typeof settings.instructions === "string" ? settings.instructions : "",
    minRequiredApprovers: min,
    executionOrder: settings.executionOrder === "inSequence" ? "inSequence" : "anyOrder",
    timeout,
    approvers,
    blockedApprovers: blocked,
    steps: approvers.map((a) => ({ approverId: a.id, status: "pending" as const })),
  };
}

/**
 * A stage's checkpoint: resource authorization, then the Approval checks of its environments.
 * Records appear in the timeline as Azure Pipelines shows them (Checkpoint, with
 * Checkpoint.Authorization / Checkpoint.Approval children; an approval's id is its record's id).
 */
export function checkpointGate(
  env: RunEngineEnv,
  b: BuildRecord,
  stage: TimelineRecordState,
  readyAt: number,
): Gate {
  const existing = children(b, stage, "Checkpoint")[0];
  if (stage.state === "inProgress")
    return { state: "passed", at: ms(existing?.finishTime ?? stage.startTime) };
  if (existing?.state === "completed")
    return existing.result === "failed"
      ? { state: "failed", at: ms(existing.finishTime) }
      : { state: "passed", at: ms(existing.finishTime) };
  const missing = stageResources(env, b, stage).filter(
    (r) => !isAuthorized(env.state, b.projectId, b.definitionId, r),
  );
  const checks = approvalChecks(env, b, stage);
  if (!existing && missing.length === 0 && checks.length === 0) return { state: "passed", at: readyAt };
  if (env.now < readyAt) return { state: "waiting" };
  const checkpoint = existing ?? record(b, stage, "Checkpoint", readyAt);
  let auth = children(b, checkpoint, "Checkpoint.Authorization")[0];
  if (!auth && missing.length > 0) auth = record(b, checkpoint, "Checkpoint.Authorization", readyAt);
  if (auth && auth.state !== "completed") {
    if (missing.length > 0) {
      auth.issues = [{ type: "warning", category: "General", message: permissionMessage(stage, missing) }];
      auth.unauthorized = missing.map((r) => ({ ...r }));
      return { state: "waiting" };
    }
    auth.issues = [];
    finish(auth, "succeeded", env.now);
  }
  const approvalsFrom = auth ? ms(auth.finishTime) : readyAt;
  env.state.approvals ??= {};
  let waiting = false;
  let failedAt: number | undefined;
  let passedAt = approvalsFrom;
  for (const check of checks) {
    const identifier = `check.${check.id}`;
    let rec = children(b, checkpoint, "Checkpoint.Approval").find((r) => r.identifier === identifier);
    if (!rec) {
      rec = record(b, checkpoint, "Checkpoint.Approval", approvalsFrom, randomUUID(), identifier);
      env.state.approvals[rec.id] = newApproval(
        env,
        b,
        stage,
        rec.id,
        (check.settings ?? {}) as Record<string, unknown>,
        check.timeout,
        approvalsFrom,
      );
    }
    const approval = env.state.approvals[rec.id];
    if (!approval) continue;
    if (rec.state === "completed") {
      if (rec.result === "failed") failedAt = ms(rec.finishTime);
      else passedAt = Math.max(passedAt, ms(rec.finishTime));
      continue;
    }
    const timeoutAt = ms(approval.createdOn) + scaled(env, approval.timeout * 60);
    if (approval.status === "pending" && env.now >= timeoutAt) {
      approval.status = "timedOut";
      approval.lastModifiedOn = iso(timeoutAt);
    }
    const at = ms(approval.lastModifiedOn);
    if (approval.status === "approved") {
      finish(rec, "succeeded", at);
      passedAt = Math.max(passedAt, at);
    } else if (approval.status === "pending") waiting = true;
    else {
      rec.issues = [
        {
          type: "error",
          category: "General",
          message:
            approval.status === "timedOut"
              ? "The approval timed out."
              : `The approval was ${approval.status}.`,
        },
      ];
      finish(rec, "failed", at);
      failedAt = at;
    }
  }
  if (failedAt !== undefined) {
    finish(checkpoint, "failed", failedAt);
    return { state: "failed", at: failedAt };
  }
  if (waiting) return { state: "waiting" };
  finish(checkpoint, "succeeded", passedAt);
  return { state: "passed", at: passedAt };
}
