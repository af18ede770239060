import type { ChangeKind, StepGroup, StepStatus } from "../engine/types.js";
import { stripAnsi } from "./style.js";

/**
 * Text helpers shared by the plain reporter, the plan text and the Ink view, so the three
 * outputs use the same words, icons and number formats.
 */

/** Status icons; each is a distinct glyph so they stay readable without colour. */
export const statusIcon: Readonly<Record<StepStatus, string>> = {
  pending: "·",
  detecting: "…",
  planned: "•",
  applying: "…",
  succeeded: "✓",
  failed: "✗",
  skipped: "↷",
  aborted: "■",
  waiting: "‖",
};

/** Plan marks, as in terraform/azd previews. */
export const changeMark: Readonly<Record<ChangeKind, string>> = {
  create: "+",
  update: "~",
  delete: "-",
  noop: "=",
};

/** Word used in a plan line: `+ create`, `= unchanged`. */
export const changeWord: Readonly<Record<ChangeKind, string>> = {
  create: "create",
  update: "update",
  delete: "delete",
  noop: "unchanged",
};

/** Past tense for a finished step: `created (12.3s)`. */
export const changeDone: Readonly<Record<ChangeKind, string>> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  noop: "unchanged",
};

/** Progressive form for a running step: `creating`. */
export const changeDoing: Readonly<Record<ChangeKind, string>> = {
  create: "creating",
  update: "updating",
  delete: "deleting",
  noop: "checking",
};

/**
 * Word for a finished step. The engine's own reason wins ("unchanged", "kept", "removed with
 * its container"); then the planned change ("created"); an apply that reused a plan without
 * telling us the change reads "done".
 */
export function doneWord(change: ChangeKind | undefined, reason: string | undefined): string {
  if (reason) return reason;
  return change ? changeDone[change] : "done";
}

/** Word for a step being applied; "applying" when its change is unknown ("running" for a verify milestone). */
export function doingWord(change: ChangeKind | undefined, group?: StepGroup): string {
  if (group === "verify") return "running";
  return change && change !== "noop" ? changeDoing[change] : "applying";
}

/** Short tag used as a line prefix in plain output: `[azure]`. */
export const groupTag: Readonly<Record<StepGroup, string>> = {
  preflight: "preflight",
  azure: "azure",
  devops: "devops",
  repo: "repo",
  verify: "verify",
};

/** Heading used in the live view. */
export const groupTitle: Readonly<Record<StepGroup, string>> = {
  preflight: "Preflight",
  azure: "Azure",
  devops: "Azure DevOps",
  repo: "Repository",
  verify: "Verify",
};

export const groupOrder: readonly StepGroup[] = ["preflight", "azure", "devops", "repo", "verify"];

/** `850ms`, `12.3s`, `1m12s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600)
    return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, "0")}s`;
  const minutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/**
 * A diff value as an operator reads it: bare words and numbers as is, strings with spaces
 * quoted, absent as `(absent)`, structures as compact JSON.
 */
export function formatValue(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) text = "(absent)";
  else if (value === null) text = "null";
  else if (typeof value === "string") text = /^[^\s"]+$/.test(value) ? value : JSON.stringify(value);
  else if (typeof value === "number" || typeof value === "boolean") text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return truncate(text, max);
}

/** Visible width of a line (ANSI removed); code points, not UTF-16 units. */
export function visibleWidth(s: string): number {
  return [...stripAnsi(s)].length;
}

/**
 * Cuts a line to `width` visible characters, ending with `…`. Styled text is cut on its
 * plain form (the colour is dropped), which is rare and keeps the rule simple.
 */
export function truncate(s: string, width: number): string {
  if (width <= 0) return "";
  if (visibleWidth(s) <= width) return s;
  const chars = [...stripAnsi(s)];
  return chars.slice(0, Math.max(0, width - 1)).join("") + "…";
}

/** Counts as words: `5 created, 2 updated, 27 unchanged`; zero kinds are left out except noop. */
export function formatCounts(
  counts: Readonly<Record<ChangeKind, number>>,
  words: Readonly<Record<ChangeKind, string>> = changeDone,
): string {
  const parts: string[] = [];
  for (const kind of ["create", "update", "delete"] as const) {
    if (counts[kind] > 0) parts.push(`${counts[kind]} ${words[kind]}`);
  }
  parts.push(`${counts.noop} ${words.noop}`);
  return parts.join(", ");
}

/**
 * Word-wraps plain text to `width`, continuing lines with `indent`. Used for error messages and
 * hints, which must be read whole rather than cut. Words longer than a line (URLs) are kept
 * intact on their own line so they stay clickable.
 */
export function wrapWords(text: string, width: number, firstPrefix: string, indent: string): string[] {
  const lines: string[] = [];
  let current = firstPrefix;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = empty ? current + word : `${current} ${word}`;
    if (!empty && visibleWidth(candidate) > width) {
      lines.push(current);
      current = indent + word;
    } else {
      current = candidate;
    }
    empty = false;
  }
  lines.push(current);
  return lines;
}
