import type { ErrorInfo, StepLink } from "../../engine/types.js";
import {
  doingWord,
  doneWord,
  formatDuration,
  groupOrder,
  groupTitle,
  statusIcon,
  truncate,
  wrapWords,
} from "../format.js";
import type { Style } from "../style.js";
import { isFinished, isRunning, type StepView } from "./run-state.js";

/**
 * Text of the live view's rows, kept out of the components so the words match the plain
 * reporter and are easy to test. Every line is cut to `columns`.
 */

const groupWidth = "Azure DevOps".length;

function verb(step: StepView): string {
  switch (step.status) {
    case "succeeded":
      return doneWord(step.change?.kind, step.reason);
    case "failed":
      return "failed";
    case "skipped":
      return step.reason ? `skipped: ${step.reason}` : "skipped";
    case "aborted":
      return "aborted";
    case "waiting":
      return step.reason ? `waiting: ${step.reason}` : "waiting";
    case "detecting":
      return "checking";
    case "applying":
      return doingWord(step.change?.kind, step.group);
    default:
      return step.status;
  }
}

function iconFor(step: StepView, style: Style): string {
  const icon = statusIcon[step.status];
  switch (step.status) {
    case "succeeded":
      return style.green(icon);
    case "failed":
      return style.red(icon);
    case "aborted":
    case "waiting":
      return style.yellow(icon);
    default:
      return style.dim(icon);
  }
}

/** `✓ Azure         Container registry crx created 12.3s` */
export function finishedLine(step: StepView, style: Style, columns: number): string {
  const elapsed =
    step.startedAt !== undefined && step.endedAt !== undefined
      ? ` ${style.dim(formatDuration(step.endedAt - step.startedAt))}`
      : "";
  const group = style.dim(groupTitle[step.group].padEnd(groupWidth));
  return truncate(`${iconFor(step, style)} ${group}  ${step.title} ${verb(step)}${elapsed}`, columns);
}

/** `    run 20261207.1: https://...` under a step; URLs are never cut (the terminal wraps them). */
export function linkLines(links: readonly StepLink[] | undefined, style: Style): string[] {
  return (links ?? []).map((l) => `    ${style.dim(`${l.label}:`)} ${l.url}`);
}

/** The error under a failed step: message, `try:` hint, and the stack only when debugging. */
export function errorLines(error: ErrorInfo, style: Style, columns: number, debug: boolean): string[] {
  // Wrapped, not cut: the operator needs the whole message and hint.
  const lines = wrapWords(error.message, columns, `    ${style.red("error:")} `, "           ");
  if (error.hint) lines.push(...wrapWords(error.hint, columns, `    ${style.cyan("try:")} `, "         "));
  if (debug && error.stack)
    lines.push(...error.stack.split("\n").map((l) => truncate(`      ${style.dim(l.trim())}`, columns)));
  return lines;
}

/** `  ⠋ Container registry crx creating 12s` and, when present, its detail line. */
export function runningLines(
  step: StepView,
  spinner: string,
  now: number,
  style: Style,
  columns: number,
): string[] {
  const elapsed = step.startedAt !== undefined ? ` ${style.dim(formatDuration(now - step.startedAt))}` : "";
  const lines = [truncate(`  ${style.cyan(spinner)} ${step.title} ${verb(step)}${elapsed}`, columns)];
  if (step.detail) lines.push(truncate(`      ${style.dim(step.detail)}`, columns));
  return lines;
}

/**
 * The live (redrawn) area: per group a head line `Azure  3/14 done, 2 running` and its running
 * steps with their detail lines, kept within `maxLines`. Ink clears the whole terminal (and
 * its scrollback) when the live area is taller than the screen, so this area must stay short:
 * detail lines go first, then running rows become `+N more running`.
 */
export function liveLines(
  steps: readonly StepView[],
  style: Style,
  columns: number,
  now: number,
  spinner: string,
  maxLines: number,
): string[] {
  const groups = groupOrder
    .map((group) => ({ group, steps: steps.filter((s) => s.group === group) }))
    .filter((g) => g.steps.length > 0);
  const build = (perGroup: number, details: boolean): string[] => {
    const lines: string[] = [];
    for (const { group, steps: inGroup } of groups) {
      // In a plan run, "planned" is as far as a step goes.
      const done = inGroup.filter((s) => isFinished(s.status) || s.status === "planned").length;
      const running = inGroup.filter((s) => isRunning(s.status));
      const waiting = inGroup.length - done - running.length;
      const counts = [`${done}/${inGroup.length} done`];
      if (running.length > 0) counts.push(`${running.length} running`);
      // verify's milestones "wait" at gates: the ones not started yet are still to go.
      if (waiting > 0) counts.push(`${waiting} ${group === "verify" ? "to go" : "waiting"}`);
      lines.push(truncate(`${style.bold(groupTitle[group])}  ${style.dim(counts.join(", "))}`, columns));
      for (const step of running.slice(0, perGroup)) {
        const rows = runningLines(step, spinner, now, style, columns);
        lines.push(...(details ? rows : rows.slice(0, 1)));
      }
      if (running.length > perGroup) lines.push(style.dim(`    +${running.length - perGroup} more running`));
    }
    return lines;
  };
  const mostRunning = Math.max(0, ...groups.map((g) => g.steps.filter((s) => isRunning(s.status)).length));
  let lines = build(mostRunning, true);
  if (lines.length <= maxLines) return lines;
  lines = build(mostRunning, false);
  for (let perGroup = mostRunning - 1; lines.length > maxLines && perGroup >= 0; perGroup--)
    lines = build(perGroup, false);
  return lines;
}
