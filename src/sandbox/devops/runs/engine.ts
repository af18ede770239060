import type { BuildRecord, DevopsState } from "../state.js";
import { evaluateCondition } from "./conditions.js";
import { checkpointGate } from "./gates.js";
import type { RecordResult, TimelineRecordState } from "./run-state.js";
import { executeStep, stepSeconds, type StepEnv } from "./tasks.js";
import { expandMacros, jobVariables } from "./variables.js";
import type { RunWorld } from "./world.js";
import { findGroup } from "./resource-use.js";

/**
 * Moves runs forward on the sandbox clock. Called before every request (and after a change that
 * may unblock a run), it replays what happened since the last call: each record gets the start
 * and finish times it would have had, so a run looks the same whether it was watched closely or
 * not, and a restarted sandbox resumes from the persisted times. A run only ever stops where a
 * person must act (approval, manual validation, authorization), each with a timeout.
 */
export interface RunEngineEnv {
  readonly state: DevopsState;
  readonly now: number;
  readonly speed: number;
  readonly world: RunWorld | undefined;
  /** Called once when a run completes (triggers, policy). */
  onCompleted(b: BuildRecord): void;
}

/** Hosted agent pickup, and the agentless (server) equivalent, in realistic seconds. */
const RUN_START_S = 8;
const AGENT_PICKUP_S = 4;
const SERVER_PICKUP_S = 1;

export const iso = (ms: number) => new Date(ms).toISOString();
export const ms = (t: string | undefined) => (t ? Date.parse(t) : NaN);
const DONE: RecordResult[] = ["succeeded", "succeededWithIssues"];

export function scaled(env: Pick<RunEngineEnv, "speed">, seconds: number): number {
  return (seconds * 1000) / Math.max(env.speed, 0.0001);
}

export function children(b: BuildRecord, parent: TimelineRecordState, type?: TimelineRecordState["type"]) {
  return b.records
    .filter((r) => r.parentId === parent.id && (!type || r.type === type))
    .sort((x, y) => x.order - y.order);
}

function complete(r: TimelineRecordState, result: RecordResult, at: number) {
  r.state = "completed";
  r.result = result;
  r.startTime ??= iso(at);
  r.finishTime = iso(at);
}

/** Marks a record and everything under it skipped (never started). */
function skipTree(b: BuildRecord, r: TimelineRecordState) {
  r.state = "completed";
  r.result = "skipped";
  for (const c of b.records.filter((x) => x.parentId === r.id)) skipTree(b, c);
}

function condition(
  text: string | undefined,
  deps: TimelineRecordState[],
  vars: Map<string, string>,
): boolean {
  try {
    // succeeded(): every dependency succeeded (a skipped one did not); failed(): one failed.
    return evaluateCondition(text ?? "succeeded()", {
      succeeded: deps.every((d) => d.result === "succeeded" || d.result === "succeededWithIssues"),
      failed: deps.some((d) => d.result === "failed"),
      canceled: false,
      variable: (n) => vars.get(n.toLowerCase()),
    });
  } catch {
    return false;
  }
}

/** Missing Key Vault secrets of the groups a job links (the job fails before its first step). */
function missingSecrets(
  env: RunEngineEnv,
  b: BuildRecord,
  stage: TimelineRecordState,
  job: TimelineRecordState,
): string[] {
  const problems: string[] = [];
  for (const name of [...b.groups, ...(stage.groups ?? []), ...(job.groups ?? [])]) {
    const g = findGroup(env.state, b.projectId, name);
    if (g?.type !== "AzureKeyVault" || !g.providerData) continue;
    for (const secret of Object.keys(g.variables)) {
      const has = env.world?.vaultHasSecret(g.providerData.vault, secret);
      if (has === false)
        problems.push(
          `Variable group ${g.name}: the secret '${secret}' was not found in key vault '${g.providerData.vault}'.`,
        );
    }
  }
  return problems;
}

function stepEnv(env: RunEngineEnv, b: BuildRecord, vars: Map<string, string>, at: number): StepEnv {
  return {
    state: env.state,
    projectId: b.projectId,
    world: env.world,
    pipeline: env.state.definitions[String(b.definitionId)]?.name ?? String(b.definitionId),
    runId: b.id,
    now: iso(at),
    faults: b.faults,
    expand: (t) => expandMacros(t, vars),
  };
}

const isManualValidation = (r: TimelineRecordState) => /^manualvalidation@/i.test(r.step?.task ?? "");

/** Advances one job from `readyAt`; returns whether it completed. */
function advanceJob(
  env: RunEngineEnv,
  b: BuildRecord,
  stage: TimelineRecordState,
  phase: TimelineRecordState,
  readyAt: number,
): boolean {
  const job = children(b, phase, "Job")[0];
  if (!job) {
    complete(phase, "succeeded", readyAt);
    return true;
  }
  const vars = jobVariables(env.state, b, stage, job);
  if (job.state === "pending") {
    const startAt = readyAt + scaled(env, job.server ? SERVER_PICKUP_S : AGENT_PICKUP_S);
    if (env.now < startAt) return false;
    job.state = phase.state = "inProgress";
    job.startTime = phase.startTime = iso(startAt);
    const missing = missingSecrets(env, b, stage, job);
    if (missing.length > 0) {
      job.issues.push(
        ...missing.map((message) => ({ type: "error" as const, category: "General", message })),
      );
      for (const t of children(b, job, "Task")) skipTree(b, t);
      complete(job, "failed", startAt);
      complete(phase, "failed", startAt);
      return true;
    }
  }
  let t = ms(job.startTime);
  let failed = false;
  for (const task of children(b, job, "Task")) {
    if (task.state === "completed") {
      if (task.result === "failed" && !task.step?.continueOnError) failed = true;
      if (task.finishTime) t = ms(task.finishTime);
      continue;
    }
    if (task.state === "pending") {
      if (!condition(task.step?.condition, failed ? [{ ...task, result: "failed" }] : [], vars)) {
        skipTree(b, task);
        continue;
      }
      if (env.now < t) return false;
      task.state = "inProgress";
      task.startTime = iso(t);
    }
    const start = ms(task.startTime);
    if (isManualValidation(task)) {
      const timeoutAt = start + scaled(env, (task.step?.timeoutInMinutes ?? 43200) * 60);
      if (!task.resolution && env.now >= timeoutAt) {
        const resume = (task.step?.inputs.onTimeout ?? "reject").toLowerCase() === "resume";
        task.resolution = { result: resume ? "succeeded" : "rejected", at: iso(timeoutAt), by: "timeout" };
      }
      if (!task.resolution) return false;
      const at = Math.max(ms(task.resolution.at), start);
      if (task.resolution.result === "rejected") {
        task.issues.push({
          type: "error",
          category: "General",
          message:
            task.resolution.by === "timeout"
              ? "The manual validation timed out and was rejected."
              : `The manual validation was rejected by ${task.resolution.by ?? "a reviewer"}${task.resolution.comment ? `: ${task.resolution.comment}` : "."}`,
        });
        complete(task, "failed", at);
        failed = true;
      } else complete(task, "succeeded", at);
      t = at;
      continue;
    }
    const finish = start + scaled(env, task.step ? stepSeconds(task.step, task.name) : 1);
    if (env.now < finish) return false;
    const outcome = task.step ? executeStep(stepEnv(env, b, vars, finish), task.step, task.name) : undefined;
    task.issues.push(...(outcome?.issues ?? []));
    const result = outcome?.result ?? "succeeded";
    complete(
      task,
      result === "failed" && task.step?.continueOnError ? "succeededWithIssues" : result,
      finish,
    );
    if (result === "failed" && !task.step?.continueOnError) failed = true;
    t = finish;
  }
  const result: RecordResult = failed ? "failed" : "succeeded";
  complete(job, result, t);
  complete(phase, result, t);
  return true;
}

/** A stage's or job's dependencies, or undefined while one of them has not completed. */
function completedDeps(
  node: TimelineRecordState,
  byName: Map<string, TimelineRecordState>,
): TimelineRecordState[] | undefined {
  const deps = (node.dependsOn ?? []).map((n) => byName.get(n)).filter((d): d is TimelineRecordState => !!d);
  return deps.some((d) => d.state !== "completed") ? undefined : deps;
}

/** The latest finish time among `records`, and no earlier than `from`. */
function lastFinish(from: number, records: readonly TimelineRecordState[]): number {
  return Math.max(from, ...records.map((r) => ms(r.finishTime)).filter((x) => !Number.isNaN(x)));
}

/** Advances a stage whose dependencies are complete. */
function advanceStage(env: RunEngineEnv, b: BuildRecord, stage: TimelineRecordState, readyAt: number): void {
  const gate = checkpointGate(env, b, stage, readyAt);
  if (gate.state === "waiting") return;
  if (gate.state === "failed") {
    for (const p of children(b, stage, "Phase")) skipTree(b, p);
    stage.startTime ??= iso(readyAt);
    complete(stage, "failed", gate.at);
    return;
  }
  if (stage.state === "pending") {
    stage.state = "inProgress";
    stage.startTime ??= iso(gate.at);
  }
  const phases = children(b, stage, "Phase");
  const byName = new Map(phases.map((p) => [p.refName ?? "", p]));
  for (const phase of phases) {
    if (phase.state === "completed") continue;
    const deps = completedDeps(phase, byName);
    if (!deps) continue;
    const vars = jobVariables(env.state, b, stage, undefined);
    if (phase.state === "pending" && !condition(phase.condition, deps, vars)) {
      skipTree(b, phase);
      continue;
    }
    advanceJob(env, b, stage, phase, lastFinish(gate.at, deps));
  }
  if (phases.every((p) => p.state === "completed")) {
    const finish = lastFinish(gate.at, phases);
    const failed = phases.some((p) => p.result === "failed");
    complete(stage, failed ? "failed" : "succeeded", finish);
  }
}

function advanceRun(env: RunEngineEnv, b: BuildRecord): boolean {
  const before = JSON.stringify([b.status, b.records]);
  if (b.status === "notStarted") {
    const startAt = ms(b.queueTime) + scaled(env, RUN_START_S);
    if (env.now < startAt) return false;
    b.status = "inProgress";
    b.startTime = iso(startAt);
  }
  if (b.status === "inProgress") {
    const stages = b.records.filter((r) => r.type === "Stage").sort((x, y) => x.order - y.order);
    const byName = new Map(stages.map((s) => [s.identifier ?? "", s]));
    for (const stage of stages) {
      if (stage.state === "completed") continue;
      const deps = completedDeps(stage, byName);
      if (!deps) continue;
      const vars = jobVariables(env.state, b, stage, undefined);
      const readyAt = lastFinish(ms(b.startTime), deps);
      if (stage.state === "pending" && !stage.startTime && !children(b, stage, "Checkpoint").length) {
        if (!condition(stage.condition, deps, vars)) {
          skipTree(b, stage);
          continue;
        }
        if (env.now < readyAt) continue;
      }
      advanceStage(env, b, stage, readyAt);
    }
    if (stages.every((s) => s.state === "completed")) {
      b.status = "completed";
      b.result = stages.some((s) => s.result === "failed")
        ? "failed"
        : stages.some((s) => s.result === "canceled")
          ? "canceled"
          : "succeeded";
      b.finishTime = iso(lastFinish(ms(b.startTime), stages));
    }
  }
  if (b.status === "completed" && !b.completionHandled) {
    b.completionHandled = true;
    env.onCompleted(b);
    return true;
  }
  return before !== JSON.stringify([b.status, b.records]);
}

/**
 * A build saved by a sandbox from before runs existed (no timeline): it is shown as the
 * completed, succeeded build that sandbox reported.
 */
function upgradeLegacy(b: BuildRecord): void {
  Object.assign(b, {
    reason: "manual",
    sourceVersion: "",
    repositoryId: "",
    status: "completed",
    result: "succeeded",
    finishTime: b.queueTime,
    planId: "00000000-0000-0000-0000-000000000000",
    triggerInfo: {},
    templateParameters: {},
    queueVariables: {},
    variables: {},
    groups: [],
    pipelineResources: {},
    validationErrors: [],
    faults: [],
    records: [],
    completionHandled: true,
  });
}

/** Advances every unfinished run; returns whether anything changed. Runs queued by completions are advanced too. */
export function advanceRuns(env: RunEngineEnv): boolean {
  let changed = false;
  for (let pass = 0; pass < 20; pass++) {
    let any = false;
    for (const b of Object.values(env.state.builds).sort((x, y) => x.id - y.id)) {
      if (!b.records) upgradeLegacy(b);
      if (b.status === "completed" && b.completionHandled) continue;
      if (advanceRun(env, b)) any = true;
    }
    if (!any) break;
    changed = true;
  }
  return changed;
}

export { DONE as SUCCEEDED_RESULTS };
