import { Box, Static, Text, useStdout } from "ink";
import { useEffect, useSyncExternalStore } from "react";
import { truncate } from "../format.js";
import { makeStyle, type Style } from "../style.js";
import type { SummaryLinks } from "../summary-text.js";
import { AbortPrompt } from "./AbortPrompt.js";
import { RunSummary } from "./RunSummary.js";
import type { PrintItem, RunStore, RunView } from "./run-state.js";
import { errorLines, finishedLine, linkLines, liveLines } from "./step-lines.js";
import { spinnerFrame, useClock } from "./use-clock.js";

export interface LiveViewProps {
  readonly store: RunStore;
  readonly color: boolean;
  readonly debug: boolean;
  /** Fixed width; default: the terminal's, re-read on every render (resizes). */
  readonly columns?: number;
  /** Fixed height; default: the terminal's (24 when unknown). Bounds the live area. */
  readonly rows?: number;
  readonly links?: SummaryLinks;
  /** Spinners and elapsed times tick while true (default). Tests turn it off. */
  readonly animate?: boolean;
  readonly now?: () => number;
  /** Answer of the Ctrl-C question, when it is showing. */
  readonly onAbortAnswer?: (stop: boolean) => void;
  readonly confirmingPlan?: boolean;
  /** Called after each state is committed to the screen, so close() can wait for the last one. */
  readonly onCommit?: (run: RunView) => void;
}

type StaticItem = PrintItem | { readonly kind: "summary" };

function itemKey(item: StaticItem, index: number): string {
  return item.kind === "step" ? `step:${item.id}` : `${item.kind}:${index}`;
}

/**
 * The live view. Finished steps, warnings and finally the summary scroll up through `<Static>`
 * (written once, never redrawn, so long plans and summaries never exceed the redrawn area);
 * below them only the groups with their running steps are redrawn.
 */
export function LiveView({
  store,
  color,
  debug,
  columns,
  rows,
  links,
  animate = true,
  now = Date.now,
  onAbortAnswer,
  confirmingPlan,
  onCommit,
}: LiveViewProps) {
  const run = useSyncExternalStore(store.subscribe, store.getSnapshot);
  useEffect(() => onCommit?.(run), [run, onCommit]);
  const { stdout } = useStdout();
  const width = Math.max(20, columns ?? stdout.columns ?? 80);
  const height = Math.max(8, rows ?? stdout.rows ?? 24);
  const time = useClock(animate && !run.summary, now);
  const style = makeStyle(color);
  const items: StaticItem[] = run.summary ? [...run.printed, { kind: "summary" }] : [...run.printed];

  const renderItem = (item: StaticItem, index: number) => {
    const key = itemKey(item, index);
    if (item.kind === "summary") {
      return run.summary ? (
        <RunSummary
          key={key}
          run={run}
          summary={run.summary}
          style={style}
          columns={width}
          links={links}
          confirmingPlan={confirmingPlan}
        />
      ) : null;
    }
    if (item.kind === "warning") {
      return (
        <Text key={key} wrap="truncate-end">
          {truncate(`${style.yellow("warning:")} ${item.text}`, width)}
        </Text>
      );
    }
    const step = run.steps.get(item.id);
    return step ? <FinishedStep key={key} step={step} style={style} width={width} debug={debug} /> : null;
  };

  // Room for the blank line, the "Stopping" line and the question.
  const live = run.summary
    ? []
    : liveLines([...run.steps.values()], style, width, time, spinnerFrame(time), height - 4);
  return (
    <>
      <Static items={items}>{renderItem}</Static>
      {run.summary ? null : (
        <Box flexDirection="column" marginTop={run.printed.length > 0 ? 1 : 0}>
          {live.length > 0 ? <Text wrap="truncate-end">{live.join("\n")}</Text> : null}
          {run.stopping ? (
            <Text>{style.yellow("Stopping: waiting for running operations to reach a safe point…")}</Text>
          ) : null}
          {run.askingAbort && onAbortAnswer ? <AbortPrompt style={style} onAnswer={onAbortAnswer} /> : null}
        </Box>
      )}
    </>
  );
}

function FinishedStep({
  step,
  style,
  width,
  debug,
}: {
  readonly step: NonNullable<ReturnType<RunView["steps"]["get"]>>;
  readonly style: Style;
  readonly width: number;
  readonly debug: boolean;
}) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">{finishedLine(step, style, width)}</Text>
      {step.status === "failed" && step.error ? (
        <Text wrap="truncate-end">{errorLines(step.error, style, width, debug).join("\n")}</Text>
      ) : null}
      {step.links && step.links.length > 0 ? (
        <Text wrap="wrap">{linkLines(step.links, style).join("\n")}</Text>
      ) : null}
      {step.next ? <Text wrap="wrap">{`    ${style.cyan("next:")} ${step.next}`}</Text> : null}
    </Box>
  );
}
