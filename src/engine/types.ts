/**
 * The engine's vocabulary. The engine knows nothing of Azure: a Step is data plus three
 * functions, and everything the outside world sees of a run is an EngineEvent.
 */

/** Groups order the live view; they carry no meaning for the engine. */
export type StepGroup = "preflight" | "azure" | "devops" | "repo" | "verify";

/** One field that differs between what exists and what is desired. */
export interface FieldDiff {
  /** Dotted property path as the operator would recognise it, e.g. `adminUserEnabled`. */
  readonly field: string;
  /** Observed value; `undefined` means absent. Never a secret value. */
  readonly from: unknown;
  /** Desired value; `undefined` means it will be removed. Never a secret value. */
  readonly to: unknown;
}

/**
 * What a step intends to do.
 * - create: the object is absent and will be created.
 * - update: the object exists and the listed fields will be converged.
 * - delete: the object exists and will be removed (destroy only).
 * - noop: nothing to do. `notes` may still say why (e.g. "edited by a user: kept").
 */
export type Change =
  | { readonly kind: "create"; readonly summary?: string; readonly notes?: readonly string[] }
  | { readonly kind: "update"; readonly fields: readonly FieldDiff[]; readonly notes?: readonly string[] }
  | { readonly kind: "delete"; readonly summary?: string; readonly notes?: readonly string[] }
  | { readonly kind: "noop"; readonly notes?: readonly string[] };

export type ChangeKind = Change["kind"];

/** What a step may use while it runs. Everything domain-specific comes in through closures. */
export interface StepContext {
  /** Aborted on Ctrl-C; long operations should stop at their next safe point. */
  readonly signal: AbortSignal;
  /** A log line attached to this step (shown under it in verbose/plain output). */
  log(message: string, level?: "info" | "warn"): void;
  /** Replaces the step's one-line detail (e.g. "provisioning: Creating, 1m12s"). */
  progress(detail: string): void;
  /**
   * The observed state of a step this one depends on, as detected, or as returned by its
   * apply. `undefined` when that object is absent (and, during plan, will be created).
   */
  observed<T = unknown>(stepId: string): T | undefined;
  /** True while planning (detect + diff only). */
  readonly planning: boolean;
}

export interface Step<Observed = unknown> {
  /** Stable id, unique in a run, e.g. `azure/registry/nonprod`. */
  readonly id: string;
  /** What the operator reads, e.g. `Container registry crdemononprod1a2b`. */
  readonly title: string;
  readonly group: StepGroup;
  readonly dependsOn: readonly string[];
  /** Read only. `undefined` = absent. */
  detect(ctx: StepContext): Promise<Observed | undefined>;
  /** Pure: compares the observed state with the desired one. */
  diff(observed: Observed | undefined, ctx: StepContext): Change;
  /**
   * Converges; must be safe to repeat after a crash. May return the resulting observed state
   * (so dependents read fresh data, e.g. a connection's issuer); otherwise the engine keeps
   * the detected one.
   */
  apply(change: Change, observed: Observed | undefined, ctx: StepContext): Promise<Observed | void>;
  /** How `destroy` removes this object; absent = destroy leaves it alone. */
  readonly teardown?: Teardown<Observed>;
}

/** Destroy support for a step: only what aks-bootstrap created is removed. */
export interface Teardown<Observed> {
  /** True when aks-bootstrap created this object (its tag, or a marker it wrote). Others are kept. */
  owned(observed: Observed): boolean;
  /** Deletes the object; safe to repeat, and quiet when it is already gone. */
  remove(observed: Observed, ctx: StepContext): Promise<void>;
  /** Said in the inventory, e.g. "soft-deleted: recoverable for 90 days, not purged". */
  readonly note?: string;
  /** Said in the inventory when the object is kept (not owned); default "kept: not created by aks-bootstrap". */
  readonly kept?: string;
  /**
   * When the observed object is already removed in a way destroy cannot undo further (a
   * soft-deleted vault), says so; destroy then plans nothing for it and shows this note.
   */
  gone?(observed: Observed): string | undefined;
  /**
   * The step whose object contains this one (a resource group, a project): when that one is
   * deleted too, this object goes with it and is not deleted separately.
   */
  readonly containedIn?: string;
}

/**
 * Life of a step in a run.
 * - pending: not started; waiting for dependencies or a free slot.
 * - detecting: reading what exists.
 * - planned: detect + diff done; its change is known.
 * - applying: converging.
 * - succeeded: applied (or nothing to apply).
 * - failed: detect, diff or apply threw; dependents will be skipped.
 * - skipped: not run because a dependency failed or was skipped.
 * - aborted: not run (or stopped) because the run was interrupted.
 * - waiting: stopped at a gate that needs a person (an approval); the run ends there (verify).
 */
export type StepStatus =
  | "pending"
  | "detecting"
  | "planned"
  | "applying"
  | "succeeded"
  | "failed"
  | "skipped"
  | "aborted"
  | "waiting";

/** A link shown under a step, e.g. `run 20261207.1: https://dev.azure.com/...`. */
export interface StepLink {
  readonly label: string;
  readonly url: string;
}

/** A user-facing rendering of an error; never contains a secret or a stack unless debug. */
export interface ErrorInfo {
  /** What was being done and what went wrong. */
  readonly message: string;
  /** What to try. */
  readonly hint?: string;
  /** The answers field at fault (e.g. `devops.productionApprovers[1]`), when one answer is the cause. */
  readonly field?: string;
  /** Present for unexpected errors (bugs); shown only with --debug. */
  readonly stack?: string;
}

export interface StepInfo {
  readonly id: string;
  readonly title: string;
  readonly group: StepGroup;
  readonly dependsOn: readonly string[];
}

export type RunMode = "plan" | "apply" | "destroy" | "verify";
/** `stopped`: the run ended at a gate that needs a person (verify without --approve). */
export type RunOutcome = "succeeded" | "failed" | "aborted" | "stopped";

interface EventBase {
  /** Increases by one per event in a run, from 1. */
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
}

/** Everything observable about a run. Reporters are listeners of this stream. */
export type EngineEvent = EventBase &
  (
    | { readonly type: "run-start"; readonly mode: RunMode; readonly steps: readonly StepInfo[] }
    | {
        readonly type: "step-status";
        readonly stepId: string;
        readonly status: StepStatus;
        readonly error?: ErrorInfo;
        readonly reason?: string;
        /** Where to look or act (a run, a pull request, an approval). */
        readonly links?: readonly StepLink[];
        /** A waiting step: what the person does there, e.g. "An approver opens the run ...". */
        readonly next?: string;
      }
    | {
        readonly type: "plan";
        readonly stepId: string;
        readonly title: string;
        readonly group: StepGroup;
        readonly change: Change;
      }
    | { readonly type: "progress"; readonly stepId: string; readonly detail: string }
    | {
        readonly type: "log";
        readonly stepId?: string;
        readonly level: "info" | "warn";
        readonly message: string;
      }
    | {
        readonly type: "summary";
        readonly mode: RunMode;
        readonly outcome: RunOutcome;
        readonly counts: Readonly<Record<ChangeKind, number>>;
        readonly failed: number;
        readonly skipped: number;
        readonly durationMs: number;
      }
  );

export type EngineEventType = EngineEvent["type"];

/** Distributes over the union, so `EventInput` keeps each member's own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventInput = DistributiveOmit<EngineEvent, "seq" | "time">;

export type EventListener = (event: EngineEvent) => void;
