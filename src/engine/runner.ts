import { setMaxListeners } from "node:events";
import { AbortedError, BugError, toErrorInfo } from "./errors.js";
import { EventStream } from "./events.js";
import { buildGraph, type StepGraph } from "./graph.js";
import { Semaphore } from "./semaphore.js";
import type {
  Change,
  ChangeKind,
  EventListener,
  RunMode,
  RunOutcome,
  Step,
  StepContext,
  StepStatus,
} from "./types.js";

export interface RunOptions {
  /** Most steps running at once (default 8). */
  readonly concurrency?: number;
  /** Abort = stop starting steps; running ones see ctx.signal and the run ends "aborted". */
  readonly signal?: AbortSignal;
  readonly onEvent?: EventListener;
  /**
   * Apply only: reuse this plan. Steps none of whose dependencies changed keep the planned
   * observation and change (one read per object on a no-op rerun); the others are detected
   * again once their dependencies are applied, so they see fresh data.
   */
  readonly plan?: RunResult;
  /** Emitted in run-start and summary (default: "plan" or "apply"). */
  readonly mode?: RunMode;
}

export interface RunResult {
  readonly outcome: RunOutcome;
  readonly changes: ReadonlyMap<string, Change>;
  readonly observed: ReadonlyMap<string, unknown>;
  readonly failed: readonly string[];
  readonly skipped: readonly string[];
  readonly aborted: readonly string[];
}

type NodeOutcome = "ok" | "failed" | "skipped" | "aborted";

class Run {
  readonly graph: StepGraph;
  readonly events: EventStream;
  readonly semaphore: Semaphore;
  readonly signal: AbortSignal;
  readonly changes = new Map<string, Change>();
  readonly observed = new Map<string, unknown>();
  readonly outcomes = new Map<string, NodeOutcome>();
  private readonly ancestors = new Map<string, Set<string>>();
  readonly started = Date.now();

  constructor(
    steps: readonly Step[],
    readonly opts: RunOptions,
    readonly mode: RunMode,
  ) {
    this.graph = buildGraph(steps);
    this.events = new EventStream(opts.onEvent);
    this.semaphore = new Semaphore(opts.concurrency ?? 8);
    this.signal = opts.signal ?? new AbortController().signal;
    // Every running step's SDK calls listen to this one signal; dozens at once is normal.
    setMaxListeners(0, this.signal);
  }

  status(stepId: string, status: StepStatus, extra: { error?: unknown; reason?: string } = {}): void {
    this.events.emit({
      type: "step-status",
      stepId,
      status,
      ...(extra.error !== undefined ? { error: toErrorInfo(extra.error) } : {}),
      ...(extra.reason ? { reason: extra.reason } : {}),
    });
  }

  context(stepId: string, planning: boolean, signal: AbortSignal): StepContext {
    return {
      signal,
      planning,
      log: (message, level = "info") => this.events.emit({ type: "log", stepId, level, message }),
      progress: (detail) => this.events.emit({ type: "progress", stepId, detail }),
      observed: <T>(id: string) => {
        if (!this.ancestorsOf(stepId).has(id)) {
          throw new BugError(`Step "${stepId}" reads "${id}" without depending on it`);
        }
        return this.observed.get(id) as T | undefined;
      },
    };
  }

  ancestorsOf(id: string): Set<string> {
    let set = this.ancestors.get(id);
    if (!set) {
      set = new Set<string>();
      for (const dep of this.graph.steps.get(id)!.dependsOn) {
        set.add(dep);
        for (const a of this.ancestorsOf(dep)) set.add(a);
      }
      this.ancestors.set(id, set);
    }
    return set;
  }

  /**
   * Runs `work` for every step once all its dependencies finished "ok", at most
   * `concurrency` at a time. Dependents of a failed/skipped step are skipped; after an abort
   * nothing new starts. Never rejects.
   */
  async walk(work: (id: string, signal: AbortSignal) => Promise<void>, reverse = false): Promise<void> {
    const done = new Map<string, Promise<NodeOutcome>>();
    const before = (id: string) =>
      reverse ? this.graph.dependents.get(id)! : this.graph.steps.get(id)!.dependsOn;
    const visit = (id: string): Promise<NodeOutcome> => {
      let p = done.get(id);
      if (!p) {
        p = this.runNode(id, before(id), visit, work);
        done.set(id, p);
      }
      return p;
    };
    const order = reverse ? [...this.graph.order].reverse() : this.graph.order;
    await Promise.all(order.map(visit));
  }

  private async runNode(
    id: string,
    waitFor: readonly string[],
    visit: (id: string) => Promise<NodeOutcome>,
    work: (id: string, signal: AbortSignal) => Promise<void>,
  ): Promise<NodeOutcome> {
    const step = { dependsOn: waitFor };
    const depOutcomes = await Promise.all(step.dependsOn.map(visit));
    const finish = (outcome: NodeOutcome): NodeOutcome => {
      this.outcomes.set(id, outcome);
      return outcome;
    };
    const badDep = step.dependsOn.find((_, i) => depOutcomes[i] !== "ok");
    if (badDep !== undefined) {
      if (this.signal.aborted) {
        this.status(id, "aborted", { reason: "run interrupted" });
        return finish("aborted");
      }
      const depTitle = this.graph.steps.get(badDep)!.title;
      this.status(id, "skipped", { reason: `depends on "${depTitle}", which did not complete` });
      return finish("skipped");
    }
    if (this.signal.aborted) {
      this.status(id, "aborted", { reason: "run interrupted" });
      return finish("aborted");
    }
    const release = await this.semaphore.acquire();
    try {
      if (this.signal.aborted) {
        this.status(id, "aborted", { reason: "run interrupted" });
        return finish("aborted");
      }
      await work(id, this.signal);
      return finish("ok");
    } catch (err) {
      if (this.signal.aborted || err instanceof AbortedError) {
        this.status(id, "aborted", { reason: "run interrupted" });
        return finish("aborted");
      }
      this.status(id, "failed", { error: err });
      return finish("failed");
    } finally {
      release();
    }
  }

  async detect(id: string, signal: AbortSignal, planning: boolean): Promise<Change> {
    const step = this.graph.steps.get(id)!;
    const ctx = this.context(id, planning, signal);
    this.status(id, "detecting");
    const observed = await step.detect(ctx);
    this.observed.set(id, observed);
    const change = step.diff(observed, ctx);
    this.changes.set(id, change);
    this.events.emit({ type: "plan", stepId: id, title: step.title, group: step.group, change });
    return change;
  }

  result(): RunResult {
    const by = (o: NodeOutcome) => [...this.outcomes].filter(([, v]) => v === o).map(([k]) => k);
    const failed = by("failed");
    const aborted = by("aborted");
    const outcome: RunOutcome =
      this.signal.aborted || aborted.length ? "aborted" : failed.length ? "failed" : "succeeded";
    return {
      outcome,
      changes: this.changes,
      observed: this.observed,
      failed,
      skipped: by("skipped"),
      aborted,
    };
  }

  summary(result: RunResult, counted: (id: string) => boolean): void {
    const counts: Record<ChangeKind, number> = { create: 0, update: 0, delete: 0, noop: 0 };
    for (const [id, change] of result.changes) if (counted(id)) counts[change.kind]++;
    this.events.emit({
      type: "summary",
      mode: this.mode,
      outcome: result.outcome,
      counts,
      failed: result.failed.length,
      skipped: result.skipped.length,
      durationMs: Date.now() - this.started,
    });
  }

  start(): void {
    const steps = [...this.graph.steps.values()].map(({ id, title, group, dependsOn }) => ({
      id,
      title,
      group,
      dependsOn,
    }));
    this.events.emit({ type: "run-start", mode: this.mode, steps });
  }
}

/** Detect + diff every step, in dependency order. Never calls apply. */
export async function planRun(steps: readonly Step[], opts: RunOptions = {}): Promise<RunResult> {
  const run = new Run(steps, opts, opts.mode ?? "plan");
  run.start();
  await run.walk(async (id, signal) => {
    await run.detect(id, signal, true);
    run.status(id, "planned");
  });
  const result = run.result();
  run.summary(result, () => true);
  return result;
}

/**
 * Plan (or reuse `opts.plan`), then converge each step in dependency order with bounded
 * concurrency. A step is applied as soon as its own dependencies are done: nothing waits for
 * what it does not need.
 */
export async function applyRun(steps: readonly Step[], opts: RunOptions = {}): Promise<RunResult> {
  const run = new Run(steps, opts, opts.mode ?? "apply");
  run.start();
  const prior = opts.plan;
  const dirty = new Set<string>();
  const applied = new Set<string>();
  await run.walk(async (id, signal) => {
    const step = run.graph.steps.get(id)!;
    const depsChanged = step.dependsOn.some((d) => dirty.has(d));
    let change: Change;
    const planned = prior?.changes.get(id);
    if (planned && !depsChanged) {
      change = planned;
      run.observed.set(id, prior!.observed.get(id));
      run.changes.set(id, change);
    } else {
      change = await run.detect(id, signal, false);
    }
    if (change.kind !== "noop") dirty.add(id);
    else if (depsChanged) dirty.add(id); // its inputs changed: let dependents look again
    if (change.kind === "noop") {
      run.status(id, "succeeded", { reason: "unchanged" });
      return;
    }
    run.status(id, "applying");
    const ctx = run.context(id, false, signal);
    const next = await step.apply(change, run.observed.get(id), ctx);
    if (next !== undefined) run.observed.set(id, next);
    applied.add(id);
    run.status(id, "succeeded");
  });
  const result = run.result();
  run.summary(result, (id) => applied.has(id) || result.changes.get(id)?.kind === "noop");
  return result;
}

/**
 * Destroy: detect everything (dependency order), plan a delete for each object aks-bootstrap
 * created (teardown.owned), then remove in REVERSE dependency order: an object goes only
 * after everything that depends on it is gone. Objects inside a container that is deleted too
 * (teardown.containedIn) go with it. With `opts.plan` (from planDestroy) nothing is read again.
 */
export async function destroyRun(
  steps: readonly Step[],
  opts: RunOptions & { planOnly?: boolean } = {},
): Promise<RunResult> {
  // The inventory alone is a plan (of deletions); the run that removes things is "destroy".
  const run = new Run(steps, opts, opts.mode ?? (opts.planOnly ? "plan" : "destroy"));
  run.start();
  const prior = opts.plan;
  if (prior) {
    for (const [id, change] of prior.changes) run.changes.set(id, change);
    for (const [id, value] of prior.observed) run.observed.set(id, value);
  } else {
    await run.walk(async (id, signal) => {
      const step = run.graph.steps.get(id)!;
      const ctx = run.context(id, true, signal);
      run.status(id, "detecting");
      const observed = await step.detect(ctx);
      run.observed.set(id, observed);
      const change = destroyChange(step, observed);
      run.changes.set(id, change);
      run.status(id, "planned");
    });
    for (const id of run.graph.order) {
      const step = run.graph.steps.get(id)!;
      const change = run.changes.get(id);
      if (!change) continue;
      const container = step.teardown?.containedIn;
      const final: Change =
        change.kind === "delete" && container && run.changes.get(container)?.kind === "delete"
          ? {
              kind: "delete",
              summary: `with ${run.graph.steps.get(container)?.title ?? container}`,
              ...(change.notes ? { notes: change.notes } : {}),
            }
          : change;
      run.changes.set(id, final);
      run.events.emit({ type: "plan", stepId: id, title: step.title, group: step.group, change: final });
    }
  }
  const removed = new Set<string>();
  if (!opts.planOnly && !run.result().failed.length) {
    run.outcomes.clear();
    await run.walk(async (id, signal) => {
      const step = run.graph.steps.get(id)!;
      const change = run.changes.get(id);
      if (change?.kind !== "delete" || !step.teardown) {
        run.status(id, "succeeded", { reason: "kept" });
        return;
      }
      const container = step.teardown.containedIn;
      if (container && run.changes.get(container)?.kind === "delete") {
        removed.add(id);
        run.status(id, "succeeded", { reason: "removed with its container" });
        return;
      }
      run.status(id, "applying");
      await step.teardown.remove(run.observed.get(id) as never, run.context(id, false, signal));
      removed.add(id);
      run.status(id, "succeeded");
    }, true);
  }
  const result = run.result();
  run.summary(result, (id) => opts.planOnly || removed.has(id) || run.changes.get(id)?.kind === "noop");
  return result;
}

function destroyChange(step: Step, observed: unknown): Change {
  if (observed === undefined) return { kind: "noop", notes: ["absent"] };
  // Preflight steps observe checks, not objects: nothing to keep or remove, nothing to say.
  if (!step.teardown)
    return step.group === "preflight"
      ? { kind: "noop" }
      : { kind: "noop", notes: ["kept: destroy does not remove this kind"] };
  const gone = step.teardown.gone?.(observed as never);
  if (gone) return { kind: "noop", notes: [gone] };
  if (!step.teardown.owned(observed as never))
    return { kind: "noop", notes: [step.teardown.kept ?? "kept: not created by aks-bootstrap"] };
  return { kind: "delete", ...(step.teardown.note ? { notes: [step.teardown.note] } : {}) };
}
