import { Box, Static, Text, useStdout } from "ink";
import { useEffect, useSyncExternalStore } from "react";
import { groupOrder, truncate } from "../format.js";
import { makeStyle } from "../style.js";
import type { SummaryLinks } from "../summary-text.js";
import { AbortPrompt } from "./AbortPrompt.js";
import { GroupProgress } from "./GroupProgress.js";
import { RunSummary } from "./RunSummary.js";
import type { RunStore, RunView, StepView } from "./run-state.js";
import { errorLines, finishedLine } from "./step-lines.js";
import { spinnerFrame, useClock } from "./use-clock.js";

export interface LiveViewProps {
  readonly store: RunStore;
  readonly color: boolean;
  readonly debug: boolean;
  /** Fixed width; default: the terminal's, re-read on every render (resizes). */
  readonly columns?: number;
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

/**
 * The live view: finished steps scroll up through `<Static>` (written once, never redrawn),
 * the groups with their running steps stay live below, and the summary replaces them at the end.
 */
export function LiveView({
  store,
  color,
  debug,
  columns,
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
  const time = useClock(animate && !run.summary, now);
  const style = makeStyle(color);
  const finished = run.finished.map((id) => run.steps.get(id)).filter((s): s is StepView => s !== undefined);
  const steps = [...run.steps.values()];

  return (
    <>
      <Static items={finished}>
        {(step) => (
          <Box key={step.id} flexDirection="column">
            <Text wrap="truncate-end">{finishedLine(step, style, width)}</Text>
            {step.status === "failed" && step.error ? (
              <Text wrap="truncate-end">{errorLines(step.error, style, width, debug).join("\n")}</Text>
            ) : null}
          </Box>
        )}
      </Static>
      {run.warnings.map((w, i) => (
        <Text key={i} wrap="truncate-end">
          {truncate(`${style.yellow("warning:")} ${w}`, width)}
        </Text>
      ))}
      {run.summary ? (
        <RunSummary
          run={run}
          summary={run.summary}
          style={style}
          columns={width}
          links={links}
          confirmingPlan={confirmingPlan}
        />
      ) : (
        <Box flexDirection="column" marginTop={finished.length > 0 ? 1 : 0}>
          {groupOrder.map((group) => {
            const inGroup = steps.filter((s) => s.group === group);
            if (inGroup.length === 0) return null;
            return (
              <GroupProgress
                key={group}
                group={group}
                steps={inGroup}
                style={style}
                columns={width}
                now={time}
                spinner={spinnerFrame(time)}
              />
            );
          })}
          {run.stopping ? (
            <Text>{style.yellow("Stopping: waiting for running operations to reach a safe point…")}</Text>
          ) : null}
          {run.askingAbort && onAbortAnswer ? <AbortPrompt style={style} onAnswer={onAbortAnswer} /> : null}
        </Box>
      )}
    </>
  );
}
