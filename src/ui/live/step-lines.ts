import type { ErrorInfo } from "../../engine/types.js";
import {
  doingWord,
  doneWord,
  formatDuration,
  groupTitle,
  statusIcon,
  truncate,
  wrapWords,
} from "../format.js";
import type { Style } from "../style.js";
import type { StepView } from "./run-state.js";

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
    case "detecting":
      return "checking";
    case "applying":
      return doingWord(step.change?.kind);
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
