import { Box, Text } from "ink";
import { changeDone, doneWord, formatCounts, formatDuration, statusIcon, truncate } from "../format.js";
import { renderPlanText } from "../plan-text.js";
import type { Style } from "../style.js";
import { flowPicture, linkLines, milestoneTally, nextSteps, type SummaryLinks } from "../summary-text.js";
import type { RunView, SummaryEvent } from "./run-state.js";

export interface RunSummaryProps {
  readonly run: RunView;
  readonly summary: SummaryEvent;
  readonly style: Style;
  readonly columns: number;
  readonly links?: SummaryLinks;
  readonly confirmingPlan?: boolean;
}

function headline(summary: SummaryEvent, style: Style): string {
  const took = `in ${formatDuration(summary.durationMs)}`;
  switch (summary.outcome) {
    case "succeeded":
      return style.green(`${statusIcon.succeeded} ${summary.mode} finished ${took}`);
    case "failed":
      return style.red(`${statusIcon.failed} ${summary.mode} failed ${took}`);
    case "aborted":
      return style.yellow(`${statusIcon.aborted} ${summary.mode} interrupted ${took}`);
    case "stopped":
      return style.yellow(`${statusIcon.waiting} ${summary.mode} stopped at a gate ${took}`);
  }
}

function pendingChanges(summary: SummaryEvent): number {
  return summary.counts.create + summary.counts.update + summary.counts.delete;
}

/** Link lines are never cut: a cut URL is useless. The terminal wraps them instead. */
function isUrlLine(line: string): boolean {
  return /https?:\/\//.test(line);
}

/** What an interrupted run had already done, so the operator knows what exists now. */
function abortedLines(run: RunView): string[] {
  const steps = [...run.steps.values()];
  // Changed = applied: a known non-noop change, or (plan not known) no "unchanged"-like reason.
  const changed = steps.filter(
    (s) => s.status === "succeeded" && (s.change ? s.change.kind !== "noop" : !s.reason),
  );
  const notRun = steps.filter(
    (s) => s.status === "aborted" || s.status === "pending" || s.status === "planned",
  ).length;
  const lines =
    changed.length === 0
      ? ["Nothing was changed before the interruption."]
      : ["Done before the interruption:"];
  for (const s of changed)
    lines.push(`  ${statusIcon.succeeded} ${s.title} ${doneWord(s.change?.kind, undefined)}`);
  if (notRun > 0) lines.push(`${notRun} steps were not run.`);
  return lines;
}

/** The end of the live view: outcome, counts per change kind, links, the flow, next steps. */
export function RunSummary({ run, summary, style, columns, links, confirmingPlan }: RunSummaryProps) {
  const lines: string[] = [];
  if (summary.mode === "plan") {
    const notPlanned = summary.failed + summary.skipped;
    lines.push(...renderPlanText(run.plan, { color: style.color, columns, notPlanned }).split("\n"), "");
  }
  lines.push(style.bold(headline(summary, style)));
  const words =
    summary.mode === "plan"
      ? { create: "to create", update: "to update", delete: "to delete", noop: "unchanged" }
      : changeDone;
  const extra = [
    summary.failed > 0 ? `${summary.failed} failed` : "",
    summary.skipped > 0 ? `${summary.skipped} skipped` : "",
  ].filter(Boolean);
  if (summary.mode === "verify") {
    const all = [...run.steps.values()];
    const count = (status: string) => all.filter((s) => s.status === status).length;
    lines.push(
      `  ${milestoneTally({ passed: count("succeeded"), total: all.length, failed: count("failed"), waiting: count("waiting"), skipped: count("skipped") + count("pending") })}`,
    );
  } else lines.push(`  ${[formatCounts(summary.counts, words), ...extra].join(", ")}`);
  if (summary.outcome === "failed") {
    for (const s of run.steps.values()) {
      if (s.status === "failed") lines.push(`  ${style.red(statusIcon.failed)} ${s.title}`);
    }
  }
  if (summary.outcome === "aborted") lines.push("", ...abortedLines(run));
  const showLinks = summary.mode === "apply" && summary.outcome !== "aborted";
  const linkText = showLinks ? linkLines(links) : [];
  if (linkText.length > 0) lines.push("", ...linkText.map((l) => `  ${l}`));
  if (summary.mode === "apply" && summary.outcome === "succeeded") lines.push("", ...flowPicture);
  // Before a confirmation (a plan with changes before apply, destroy's inventory) the question
  // itself is the next step.
  const beforeAction =
    confirmingPlan &&
    summary.outcome === "succeeded" &&
    (summary.mode === "destroy" || pendingChanges(summary) > 0);
  if (!beforeAction) {
    lines.push(
      "",
      style.bold("Next:"),
      ...nextSteps(summary.mode, summary.outcome, pendingChanges(summary)).map((l) => `  ${l}`),
    );
  }
  return (
    <Box flexDirection="column" marginTop={1}>
      {lines.map((line, i) => (
        <Text key={i} wrap={isUrlLine(line) ? "wrap" : "truncate-end"}>
          {line === "" ? " " : isUrlLine(line) ? line : truncate(line, columns)}
        </Text>
      ))}
    </Box>
  );
}
