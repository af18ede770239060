import type { Change, ChangeKind, EngineEvent, StepGroup } from "../engine/types.js";
import { changeMark, changeWord, formatCounts, formatValue, groupOrder, truncate } from "./format.js";
import { makeStyle, type Style } from "./style.js";

/** One planned change, as carried by a `plan` event. */
export interface PlanEntry {
  readonly stepId: string;
  readonly title: string;
  readonly group: StepGroup;
  readonly change: Change;
}

export interface PlanTextOptions {
  readonly color: boolean;
  /** Lines are cut to this width; default 80. */
  readonly columns?: number;
  /**
   * Unchanged objects: true lists each, false only counts them; "auto" (default) lists them
   * when there are few, otherwise only those with a note (e.g. "edited by a user: kept").
   */
  readonly showUnchanged?: boolean | "auto";
  /**
   * Steps that could not be planned (failed, or skipped behind a failure): the plan is then
   * incomplete, and the count line says so instead of "no changes".
   */
  readonly notPlanned?: number;
}

/** Picks the plan entries out of an event stream (last plan per step wins). */
export function planEntries(input: readonly (EngineEvent | PlanEntry)[]): PlanEntry[] {
  const byStep = new Map<string, PlanEntry>();
  for (const item of input) {
    if ("type" in item) {
      if (item.type === "plan")
        byStep.set(item.stepId, {
          stepId: item.stepId,
          title: item.title,
          group: item.group,
          change: item.change,
        });
    } else {
      byStep.set(item.stepId, item);
    }
  }
  return [...byStep.values()];
}

export function countChanges(entries: readonly PlanEntry[]): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const e of entries) counts[e.change.kind] += 1;
  return counts;
}

function markStyle(style: Style, kind: ChangeKind): (s: string) => string {
  switch (kind) {
    case "create":
      return style.green;
    case "update":
      return style.yellow;
    case "delete":
      return style.red;
    case "noop":
      return style.dim;
  }
}

/**
 * The lines describing one change, without prefix: a head line `+ create <title>` and, for
 * updates, one indented line per field `    adminUserEnabled: true -> false`, then notes.
 * Shared by the plan screen and the plain reporter so both read the same.
 */
export function changeLines(entry: PlanEntry, style: Style, valueWidth = 60): string[] {
  const { change } = entry;
  const mark = markStyle(style, change.kind);
  const lines = [`${mark(`${changeMark[change.kind]} ${changeWord[change.kind]}`)} ${entry.title}`];
  if (change.kind === "create" || change.kind === "delete") {
    if (change.summary) lines.push(`    ${style.dim(change.summary)}`);
  }
  if (change.kind === "update") {
    for (const f of change.fields) {
      lines.push(
        `    ${f.field}: ${style.red(formatValue(f.from, valueWidth))} -> ${style.green(formatValue(f.to, valueWidth))}`,
      );
    }
  }
  for (const note of change.notes ?? []) lines.push(`    ${style.dim(`note: ${note}`)}`);
  return lines;
}

/** Above this many unchanged objects, "auto" lists only those with a note. */
const autoUnchangedLimit = 12;

const sectionTitle: Readonly<Record<ChangeKind, string>> = {
  create: "To create",
  update: "To update",
  delete: "To delete",
  noop: "Unchanged",
};

/**
 * The plan screen as text: a count line, then sections create / update / delete / unchanged,
 * each in step-group order, with field-level diffs. Used by the wizard's confirmation, the
 * plain reporter and the Ink view (which prints it as is).
 */
export function renderPlanText(input: readonly (EngineEvent | PlanEntry)[], opts: PlanTextOptions): string {
  const style = makeStyle(opts.color);
  const columns = opts.columns ?? 80;
  const entries = planEntries(input);
  const counts = countChanges(entries);
  const rank = (g: StepGroup): number => groupOrder.indexOf(g);
  const out: string[] = [];
  const pending = counts.create + counts.update + counts.delete;
  const notPlanned = opts.notPlanned ?? 0;
  const found =
    pending === 0
      ? `no changes (${counts.noop} unchanged)`
      : formatCounts(counts, {
          create: "to create",
          update: "to update",
          delete: "to delete",
          noop: "unchanged",
        });
  out.push(
    style.bold(
      notPlanned > 0 ? `Plan incomplete (${notPlanned} not planned), so far: ${found}` : `Plan: ${found}`,
    ),
  );
  for (const kind of ["create", "update", "delete", "noop"] as const) {
    const section = entries
      .filter((e) => e.change.kind === kind)
      .sort((a, b) => rank(a.group) - rank(b.group));
    if (section.length === 0) continue;
    out.push("");
    out.push(style.bold(`${sectionTitle[kind]} (${section.length})`));
    let shown = section;
    if (kind === "noop") {
      const mode = opts.showUnchanged ?? "auto";
      if (mode === false) continue;
      if (mode === "auto" && section.length > autoUnchangedLimit)
        shown = section.filter((e) => (e.change.notes ?? []).length > 0);
    }
    for (const entry of shown) {
      for (const line of changeLines(entry, style, Math.max(10, Math.floor((columns - 12) / 2))))
        out.push(`  ${line}`);
    }
    if (shown.length < section.length)
      out.push(`  ${style.dim(`= ${section.length - shown.length} more unchanged`)}`);
  }
  return out.map((l) => truncate(l, columns)).join("\n");
}
