import type { Writable } from "node:stream";
import type { Change, EngineEvent } from "../engine/types.js";
import type { SummaryLinks } from "./summary-text.js";

/** A listener of the engine's event stream that draws it somewhere. */
export interface Reporter {
  onEvent(e: EngineEvent): void;
  /** Flushes and releases the terminal; call once after the run's summary (or on error). */
  close(): Promise<void>;
  /**
   * Asks "Stop?" inside the reporter's own screen (the Ink view cannot share the terminal with
   * an inquirer prompt). Absent on reporters that do not own a terminal: the CLI then uses
   * the wizard's confirmAbort() on a TTY, or stops at once without one.
   */
  confirmAbort?(): Promise<boolean>;
}

export type OutputKind = "tty" | "plain" | "json";

export interface ReporterOptions {
  readonly stdout: NodeJS.WriteStream | Writable;
  readonly stderr: NodeJS.WriteStream | Writable;
  /** Terminal width; default `stdout.columns` or 80. */
  readonly columns?: number;
  readonly color: boolean;
  /** Show stacks of unexpected errors. */
  readonly debug: boolean;
  readonly links?: SummaryLinks;
  /**
   * The plan is part of an apply (confirmed, or applied at once with --yes), so a plan run
   * with changes does not end with "run `aks-bootstrap apply`"; one without still says
   * "Nothing to do". Also set for destroy's inventory run, whose question comes next.
   */
  readonly confirmingPlan?: boolean;
  /**
   * Changes already planned, by step id (RunResult.changes of the plan run). An apply run that
   * reuses a plan emits no `plan` events; with this the view still says "creating"/"created".
   */
  readonly changes?: ReadonlyMap<string, Change>;
}
