import type {
  Change,
  EngineEvent,
  ErrorInfo,
  RunMode,
  StepGroup,
  StepLink,
  StepStatus,
} from "../../engine/types.js";
import type { PlanEntry } from "../plan-text.js";

/** What the live view knows about one step; rebuilt immutably so React sees each change. */
export interface StepView {
  readonly id: string;
  readonly title: string;
  readonly group: StepGroup;
  readonly status: StepStatus;
  readonly change?: Change;
  readonly detail?: string;
  /** When the current phase (detecting or applying) began. */
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly error?: ErrorInfo;
  readonly reason?: string;
  readonly links?: readonly StepLink[];
  /** A waiting step: what the person does there. */
  readonly next?: string;
}

/** One entry of the static (scrolling) output. */
export type PrintItem =
  { readonly kind: "step"; readonly id: string } | { readonly kind: "warning"; readonly text: string };

export type SummaryEvent = Extract<EngineEvent, { type: "summary" }>;

export interface RunView {
  readonly mode?: RunMode;
  readonly startedAt?: number;
  readonly steps: ReadonlyMap<string, StepView>;
  /** Step ids in the order they finished. */
  readonly finished: readonly string[];
  /** What scrolls up through `<Static>`, in order: finished steps and warnings (append-only). */
  readonly printed: readonly PrintItem[];
  readonly plan: readonly PlanEntry[];
  /** Warnings not tied to a step, printed above the live area. */
  readonly warnings: readonly string[];
  readonly summary?: SummaryEvent;
  /** UI-only: the Ctrl-C confirmation is showing. */
  readonly askingAbort?: boolean;
  /** UI-only: the operator confirmed the interruption; running operations are finishing. */
  readonly stopping?: boolean;
}

export const emptyRun: RunView = { steps: new Map(), finished: [], printed: [], plan: [], warnings: [] };

const terminal: ReadonlySet<StepStatus> = new Set(["succeeded", "failed", "skipped", "aborted", "waiting"]);

export function isFinished(status: StepStatus): boolean {
  return terminal.has(status);
}

export function isRunning(status: StepStatus): boolean {
  return status === "detecting" || status === "applying";
}

function withStep(run: RunView, id: string, update: (s: StepView) => StepView): RunView {
  const current = run.steps.get(id) ?? {
    id,
    title: id,
    group: "preflight" as const,
    status: "pending" as const,
  };
  const steps = new Map(run.steps);
  steps.set(id, update(current));
  return { ...run, steps };
}

/**
 * Folds one engine event into the view state. Pure, so frames are reproducible in tests.
 * `known` seeds each step's change when the run reuses an earlier plan.
 */
export function reduceRun(run: RunView, e: EngineEvent, known?: ReadonlyMap<string, Change>): RunView {
  switch (e.type) {
    case "run-start": {
      const steps = new Map<string, StepView>();
      for (const s of e.steps) {
        const change = known?.get(s.id);
        steps.set(s.id, {
          id: s.id,
          title: s.title,
          group: s.group,
          status: "pending",
          ...(change ? { change } : {}),
        });
      }
      return { ...emptyRun, mode: e.mode, startedAt: e.time, steps, stopping: run.stopping };
    }
    case "plan": {
      const entry: PlanEntry = { stepId: e.stepId, title: e.title, group: e.group, change: e.change };
      const next = withStep(run, e.stepId, (s) => ({
        ...s,
        title: e.title,
        group: e.group,
        change: e.change,
      }));
      return { ...next, plan: [...run.plan.filter((p) => p.stepId !== e.stepId), entry] };
    }
    case "progress":
      return withStep(run, e.stepId, (s) => ({ ...s, detail: e.detail }));
    case "log":
      if (e.level !== "warn") return run;
      {
        // A running step shows its warning as its detail line; otherwise the warning is kept
        // above the live area (and the summary) so it is not lost when the step scrolls away.
        const step = e.stepId ? run.steps.get(e.stepId) : undefined;
        if (step && isRunning(step.status))
          return withStep(run, step.id, (s) => ({ ...s, detail: `warning: ${e.message}` }));
        const text = step ? `${step.title}: ${e.message}` : e.message;
        return {
          ...run,
          warnings: [...run.warnings, text],
          printed: [...run.printed, { kind: "warning", text }],
        };
      }
    case "step-status": {
      const next = withStep(run, e.stepId, (s) => {
        const base = {
          ...s,
          status: e.status,
          error: e.error ?? s.error,
          reason: e.reason ?? s.reason,
          links: e.links ?? s.links,
          ...(e.next ? { next: e.next } : {}),
        };
        if (isRunning(e.status)) return { ...base, startedAt: e.time, detail: undefined };
        if (isFinished(e.status)) return { ...base, endedAt: e.time };
        return base;
      });
      const wasFinished = run.finished.includes(e.stepId);
      return isFinished(e.status) && !wasFinished
        ? {
            ...next,
            finished: [...run.finished, e.stepId],
            printed: [...run.printed, { kind: "step", id: e.stepId }],
          }
        : next;
    }
    case "summary":
      return { ...run, summary: e };
  }
}

/** A tiny external store for `useSyncExternalStore`: the reporter dispatches, the view reads. */
export class RunStore {
  private state: RunView = emptyRun;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly known?: ReadonlyMap<string, Change>) {}

  dispatch = (e: EngineEvent): void => {
    this.state = reduceRun(this.state, e, this.known);
    for (const l of this.listeners) l();
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RunView => this.state;

  /** UI-only state changes (not engine events): the abort question and its outcome. */
  setUi(patch: Pick<RunView, "askingAbort" | "stopping">): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
