import type { Writable } from "node:stream";
import type { EngineEvent } from "../engine/types.js";
import type { SummaryLinks } from "./summary-text.js";

/** A listener of the engine's event stream that draws it somewhere. */
export interface Reporter {
  onEvent(e: EngineEvent): void;
  /** Flushes and releases the terminal; call once after the run's summary (or on error). */
  close(): Promise<void>;
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
}
