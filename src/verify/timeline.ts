/**
 * Reading a build's timeline (stages, jobs, tasks, checkpoints) the way a person reads the run
 * page: what is running, what failed and why, and what the run is waiting for. Pure: the
 * records come from `GET _apis/build/builds/{id}/timeline` (azure-devops-node-api turns the
 * enums into numbers; the REST answer has names; both are accepted).
 */

export type RecordState = "pending" | "inProgress" | "completed";
export type RecordResult =
  "succeeded" | "succeededWithIssues" | "failed" | "canceled" | "skipped" | "abandoned" | undefined;

/** One timeline record, normalized. */
export interface Rec {
  readonly id: string;
  readonly parentId?: string;
  /** Stage, Phase, Job, Task, Checkpoint, Checkpoint.Approval, Checkpoint.Authorization, ... */
  readonly type: string;
  readonly name: string;
  readonly identifier?: string;
  readonly state: RecordState;
  readonly result: RecordResult;
  readonly order: number;
  /** Error messages of the record's issues. */
  readonly errors: readonly string[];
  /** Every issue's message, warnings too (a permission wait is reported as a warning). */
  readonly messages: readonly string[];
  /** The task's name for Task records (e.g. ManualValidation). */
  readonly taskName?: string;
}

const STATES: readonly RecordState[] = ["pending", "inProgress", "completed"];
const RESULTS: readonly NonNullable<RecordResult>[] = [
  "succeeded",
  "succeededWithIssues",
  "failed",
  "canceled",
  "skipped",
  "abandoned",
];

function enumName<T extends string>(value: unknown, names: readonly T[]): T | undefined {
  if (typeof value === "number") return names[value];
  if (typeof value !== "string") return undefined;
  return names.find((n) => n.toLowerCase() === value.toLowerCase());
}

interface RawRecord {
  id?: string | null;
  parentId?: string | null;
  type?: string | null;
  name?: string | null;
  identifier?: string | null;
  state?: unknown;
  result?: unknown;
  order?: number | null;
  issues?: readonly { type?: unknown; message?: string | null }[] | null;
  task?: { name?: string | null } | null;
}

export function normalizeRecords(raw: readonly RawRecord[] | null | undefined): Rec[] {
  return (raw ?? []).map((r) => {
    const taskName = r.task?.name ?? undefined;
    return {
      id: r.id ?? "",
      ...(r.parentId ? { parentId: r.parentId } : {}),
      type: r.type ?? "",
      name: r.name ?? "",
      ...(r.identifier ? { identifier: r.identifier } : {}),
      state: enumName(r.state, STATES) ?? "pending",
      result: enumName(r.result, RESULTS),
      order: r.order ?? 0,
      // IssueType: 1 / "error", 2 / "warning".
      errors: (r.issues ?? [])
        .filter((i) => i.type === 1 || String(i.type).toLowerCase() === "error")
        .map((i) => i.message ?? "")
        .filter(Boolean),
      messages: (r.issues ?? []).map((i) => i.message ?? "").filter(Boolean),
      ...(taskName ? { taskName } : {}),
    };
  });
}

const isJobLike = (r: Rec) => r.type === "Job" || r.type === "Phase";

/**
 * The Phase/Job records of a YAML job. Azure names the Phase record's identifier after the job
 * (`deploy_staging`) and the Job record's after stage, job and strategy
 * (`staging.deploy_staging.Deploy`); both carry the job's display name.
 */
export function jobRecords(records: readonly Rec[], job: string, displayName?: string): Rec[] {
  return records.filter(
    (r) =>
      isJobLike(r) &&
      (r.identifier === job ||
        (r.identifier?.split(".").includes(job) ?? false) ||
        (displayName !== undefined && r.name === displayName)),
  );
}

export type Progress =
  | { readonly kind: "succeeded" }
  | { readonly kind: "failed"; readonly records: readonly Rec[] }
  | { readonly kind: "running" }
  | { readonly kind: "absent" };

/** Where a set of records (a job's Phase + Job) stands: all succeeded, one failed, or not yet. */
export function progressOf(found: readonly Rec[]): Progress {
  if (found.length === 0) return { kind: "absent" };
  const failed = found.filter(
    (r) =>
      r.state === "completed" &&
      (r.result === "failed" || r.result === "canceled" || r.result === "abandoned"),
  );
  if (failed.length > 0) return { kind: "failed", records: failed };
  const done = found.every(
    (r) => r.state === "completed" && (r.result === "succeeded" || r.result === "succeededWithIssues"),
  );
  return done ? { kind: "succeeded" } : { kind: "running" };
}

function byId(records: readonly Rec[]): Map<string, Rec> {
  return new Map(records.map((r) => [r.id, r]));
}

/** `Stage "Staging" / job "Deploy to demo-staging" / step "Deploy"`: the record and its parents. */
export function pathOf(records: readonly Rec[], rec: Rec): string {
  const all = byId(records);
  const chain: Rec[] = [];
  for (let r: Rec | undefined = rec; r && chain.length < 10; r = r.parentId ? all.get(r.parentId) : undefined)
    chain.unshift(r);
  const words: Record<string, string> = {
    Stage: "stage",
    Phase: "job",
    Job: "job",
    Task: "step",
    Checkpoint: "checks",
    "Checkpoint.Approval": "approval",
    "Checkpoint.Authorization": "permission",
  };
  const parts: string[] = [];
  for (const r of chain) {
    // A pipeline without stages runs in an implicit stage the run page does not show.
    if (r.type === "Stage" && r.identifier === "__default") continue;
    const word = words[r.type] ?? r.type.toLowerCase();
    // Checkpoint records are named after their type: the word alone says it.
    const part = r.type.startsWith("Checkpoint") && r.name === r.type ? word : `${word} "${r.name}"`;
    // A Phase and its Job usually share the display name: say it once.
    if (parts[parts.length - 1] !== part) parts.push(part);
  }
  return parts.join(" / ");
}

/** A failed step (deepest failed record) with its error messages, as the run page shows it. */
export interface Failure {
  readonly where: string;
  readonly messages: readonly string[];
}

/**
 * The first failed Task (by order), or the deepest failed record when no task failed (a stage
 * that could not start). Records under `within` only, when given.
 */
export function firstFailure(records: readonly Rec[], within?: readonly Rec[]): Failure | undefined {
  const all = byId(records);
  const inside = (r: Rec): boolean => {
    if (!within) return true;
    const roots = new Set(within.map((w) => w.id));
    for (let p: Rec | undefined = r; p; p = p.parentId ? all.get(p.parentId) : undefined)
      if (roots.has(p.id)) return true;
    return false;
  };
  const failed = records
    .filter((r) => r.state === "completed" && r.result === "failed" && inside(r))
    .sort((a, b) => depth(all, b) - depth(all, a) || a.order - b.order);
  const task = failed.filter((r) => r.type === "Task").sort((a, b) => a.order - b.order)[0];
  const pick = task ?? failed[0];
  if (!pick) return undefined;
  // The job's own issues often repeat or explain the step's ("The job failed ..."): keep both.
  const messages = [...pick.errors];
  for (
    let p = pick.parentId ? all.get(pick.parentId) : undefined;
    p;
    p = p.parentId ? all.get(p.parentId) : undefined
  )
    for (const m of p.errors) if (!messages.includes(m)) messages.push(m);
  return { where: pathOf(records, pick), messages };
}

function depth(all: Map<string, Rec>, r: Rec): number {
  let d = 0;
  for (
    let p = r.parentId ? all.get(r.parentId) : undefined;
    p && d < 10;
    p = p.parentId ? all.get(p.parentId) : undefined
  )
    d++;
  return d;
}

/** What a running step or job is doing now, for the live detail line. */
export function currentActivity(records: readonly Rec[]): string | undefined {
  const running = records
    .filter((r) => r.state === "inProgress")
    .sort((a, b) => depth(byId(records), b) - depth(byId(records), a) || a.order - b.order)[0];
  return running ? pathOf(records, running) : undefined;
}

export type Waiting =
  | { readonly kind: "permission"; readonly where: string; readonly messages: readonly string[] }
  | { readonly kind: "approval"; readonly where: string }
  | { readonly kind: "manual-validation"; readonly task: Rec; readonly where: string }
  | { readonly kind: "check"; readonly where: string };

const mentionsPermission = (text: string) => /permission|authoriz/i.test(text);

/**
 * What the run waits for, if anything: a checkpoint (approval, resource authorization, another
 * check) in progress, or a ManualValidation task in progress in an agentless job.
 */
export function waitingOn(records: readonly Rec[]): Waiting | undefined {
  const all = byId(records);
  const waitingTask = records.find(
    (r) => r.type === "Task" && r.state === "inProgress" && /^ManualValidation/i.test(r.taskName ?? r.name),
  );
  if (waitingTask)
    return { kind: "manual-validation", task: waitingTask, where: pathOf(records, waitingTask) };
  const checkpoints = records.filter((r) => r.type.startsWith("Checkpoint") && r.state === "inProgress");
  if (checkpoints.length === 0) return undefined;
  const stageOf = (r: Rec) => {
    let p: Rec | undefined = r;
    while (p && p.type !== "Stage") p = p.parentId ? all.get(p.parentId) : undefined;
    return p ? `stage "${p.name}"` : pathOf(records, r);
  };
  const permission = checkpoints.find(
    (r) => r.type === "Checkpoint.Authorization" || mentionsPermission(`${r.name} ${r.messages.join(" ")}`),
  );
  if (permission) {
    const messages = [...permission.messages];
    const parent = permission.parentId ? all.get(permission.parentId) : undefined;
    if (parent) for (const m of parent.messages) if (!messages.includes(m)) messages.push(m);
    return { kind: "permission", where: stageOf(permission), messages };
  }
  const approval = checkpoints.find((r) => r.type === "Checkpoint.Approval");
  if (approval) return { kind: "approval", where: stageOf(approval) };
  return { kind: "check", where: stageOf(checkpoints[0]!) };
}
