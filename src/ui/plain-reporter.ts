import type {
  Change,
  EngineEvent,
  ErrorInfo,
  StepGroup,
  StepInfo,
  StepLink,
  StepStatus,
} from "../engine/types.js";
import {
  changeDone,
  doingWord,
  doneWord,
  formatCounts,
  formatDuration,
  groupTag,
  statusIcon,
} from "./format.js";
import { changeLines } from "./plan-text.js";
import { flush } from "./flush.js";
import type { Reporter, ReporterOptions } from "./reporter-types.js";
import { makeStyle, type Style } from "./style.js";
import { flowPicture, linkLines, milestoneTally, nextSteps } from "./summary-text.js";

interface StepMemo {
  info: StepInfo;
  status?: StepStatus;
  change?: Change;
  startedAt?: number;
  /** Last progress detail printed, durations removed, and when. */
  lastDetail?: string;
  lastDetailAt?: number;
}

const progressEveryMs = 30_000;

/** "provisioning: Creating, 1m12s" -> "provisioning: Creating, #" */
function withoutDurations(detail: string): string {
  return detail.replace(/\b\d+(?:\.\d+)?(?:ms|s|m|h)(?:\d+(?:ms|s|m))*\b/g, "#");
}

/**
 * One line per meaningful event, for CI logs and pipes: stable words, a `[group]` prefix,
 * no cursor movement, no colour unless asked. Greppable: `✓`, `✗`, `error:`, `try:`.
 */
export class PlainReporter implements Reporter {
  private readonly steps = new Map<string, StepMemo>();
  private readonly style: Style;

  constructor(private readonly opts: ReporterOptions) {
    this.style = makeStyle(opts.color);
  }

  private write(line: string): void {
    this.opts.stdout.write(`${line}\n`);
  }

  private prefix(group: StepGroup | undefined): string {
    return group ? this.style.dim(`[${groupTag[group]}]`) + " " : "";
  }

  private memo(stepId: string): StepMemo {
    let m = this.steps.get(stepId);
    if (!m) {
      // A step we were not told about at run-start: show its id rather than drop the event.
      m = { info: { id: stepId, title: stepId, group: "preflight", dependsOn: [] } };
      this.steps.set(stepId, m);
    }
    return m;
  }

  onEvent(e: EngineEvent): void {
    switch (e.type) {
      case "run-start":
        for (const info of e.steps) {
          const change = this.opts.changes?.get(info.id);
          this.steps.set(info.id, change ? { info, change } : { info });
        }
        this.write(`aks-bootstrap ${e.mode}: ${e.steps.length} steps`);
        return;
      case "plan": {
        const m = this.memo(e.stepId);
        m.change = e.change;
        m.info = { ...m.info, title: e.title, group: e.group };
        const p = this.prefix(e.group);
        for (const line of changeLines(e, this.style)) this.write(p + line);
        return;
      }
      case "progress": {
        const m = this.memo(e.stepId);
        // Polls repeat the same state with a growing clock ("Creating, 1m12s"): a CI log gets
        // a line when the state changes, and otherwise at most every 30 s.
        const state = withoutDurations(e.detail);
        if (
          m.lastDetail === state &&
          m.lastDetailAt !== undefined &&
          e.time - m.lastDetailAt < progressEveryMs
        )
          return;
        m.lastDetail = state;
        m.lastDetailAt = e.time;
        this.write(`${this.prefix(m.info.group)}  ${m.info.title}: ${e.detail}`);
        return;
      }
      case "log": {
        const group = e.stepId ? this.memo(e.stepId).info.group : undefined;
        const text = e.level === "warn" ? `${this.style.yellow("warning:")} ${e.message}` : e.message;
        this.write(`${this.prefix(group)}${text}`);
        return;
      }
      case "step-status":
        this.onStatus(e);
        return;
      case "summary":
        this.onSummary(e);
        return;
    }
  }

  private onStatus(e: Extract<EngineEvent, { type: "step-status" }>): void {
    const m = this.memo(e.stepId);
    const p = this.prefix(m.info.group);
    const elapsed = m.startedAt !== undefined ? ` (${formatDuration(e.time - m.startedAt)})` : "";
    m.status = e.status;
    this.onStatusLine(e, m, p, elapsed);
    // Links (a run, a pull request, where to approve) go under the line that names them.
    if (e.status !== "applying") this.writeLinks(p, e.links);
    if (e.next) this.write(`${p}    ${this.style.cyan("next:")} ${e.next}`);
  }

  private writeLinks(p: string, links: readonly StepLink[] | undefined): void {
    for (const l of links ?? []) this.write(`${p}    ${l.label}: ${l.url}`);
  }

  private onStatusLine(
    e: Extract<EngineEvent, { type: "step-status" }>,
    m: StepMemo,
    p: string,
    elapsed: string,
  ): void {
    const s = this.style;
    switch (e.status) {
      case "pending":
      case "planned":
        return;
      case "detecting":
        m.startedAt = e.time;
        return;
      case "applying":
        m.startedAt = e.time;
        m.lastDetail = undefined;
        m.lastDetailAt = undefined;
        this.write(`${p}${statusIcon.applying} ${m.info.title} ${doingWord(m.change?.kind, m.info.group)}`);
        return;
      case "succeeded":
        this.write(
          `${p}${s.green(statusIcon.succeeded)} ${m.info.title} ${doneWord(m.change?.kind, e.reason)}${elapsed}`,
        );
        return;
      case "failed":
        this.write(`${p}${s.red(statusIcon.failed)} ${m.info.title} failed${elapsed}`);
        if (e.error) this.writeError(p, e.error);
        return;
      case "skipped":
        this.write(
          `${p}${s.dim(statusIcon.skipped)} ${m.info.title} skipped${e.reason ? `: ${e.reason}` : ""}`,
        );
        return;
      case "aborted":
        this.write(
          `${p}${s.yellow(statusIcon.aborted)} ${m.info.title} aborted${e.reason ? `: ${e.reason}` : ""}`,
        );
        return;
      case "waiting":
        this.write(
          `${p}${s.yellow(statusIcon.waiting)} ${m.info.title} waiting${e.reason ? `: ${e.reason}` : ""}${elapsed}`,
        );
        return;
    }
  }

  private writeError(p: string, error: ErrorInfo): void {
    this.write(`${p}  ${this.style.red("error:")} ${error.message}`);
    if (error.hint) this.write(`${p}  ${this.style.cyan("try:")} ${error.hint}`);
    if (this.opts.debug && error.stack) {
      for (const line of error.stack.split("\n")) this.write(`${p}    ${this.style.dim(line)}`);
    }
  }

  private onSummary(e: Extract<EngineEvent, { type: "summary" }>): void {
    const s = this.style;
    const words =
      e.mode === "plan"
        ? { create: "to create", update: "to update", delete: "to delete", noop: "unchanged" }
        : changeDone;
    const tail =
      e.mode === "verify"
        ? milestoneTally(this.tally())
        : `${formatCounts(e.counts, words)}, ${e.failed} failed, ${e.skipped} skipped`;
    const head =
      e.outcome === "succeeded"
        ? s.green(`${statusIcon.succeeded} ${e.mode} succeeded`)
        : e.outcome === "failed"
          ? s.red(`${statusIcon.failed} ${e.mode} failed`)
          : e.outcome === "stopped"
            ? s.yellow(`${statusIcon.waiting} ${e.mode} stopped at a gate`)
            : s.yellow(`${statusIcon.aborted} ${e.mode} interrupted`);
    this.write(`${head} in ${formatDuration(e.durationMs)}: ${tail}`);
    if (e.outcome === "succeeded" && e.mode === "apply") {
      for (const line of linkLines(this.opts.links)) this.write(line);
      for (const line of flowPicture) this.write(line);
    }
    const pending = e.counts.create + e.counts.update + e.counts.delete;
    // A plan that an apply follows: the apply (or its question) is the next step.
    if (this.opts.confirmingPlan && e.outcome === "succeeded" && (e.mode === "destroy" || pending > 0))
      return;
    for (const line of nextSteps(e.mode, e.outcome, pending)) this.write(`next: ${line}`);
  }

  private tally() {
    const all = [...this.steps.values()];
    const count = (...st: (StepStatus | undefined)[]) => all.filter((m) => st.includes(m.status)).length;
    return {
      passed: count("succeeded"),
      total: all.length,
      failed: count("failed"),
      waiting: count("waiting"),
      skipped: count("skipped", "pending", undefined),
    };
  }

  async close(): Promise<void> {
    await flush(this.opts.stdout);
  }
}
