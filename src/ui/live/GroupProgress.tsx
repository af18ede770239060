import { Box, Text } from "ink";
import type { StepGroup } from "../../engine/types.js";
import { groupTitle, truncate } from "../format.js";
import type { Style } from "../style.js";
import { isFinished, isRunning, type StepView } from "./run-state.js";
import { runningLines } from "./step-lines.js";

export interface GroupProgressProps {
  readonly group: StepGroup;
  readonly steps: readonly StepView[];
  readonly style: Style;
  readonly columns: number;
  readonly now: number;
  readonly spinner: string;
}

/** Keeps the live area shorter than a terminal: a taller frame than the screen flickers. */
const maxRunningRows = 6;

/** One group of the live area: `Azure  3/14 done, 2 running` and its running steps. */
export function GroupProgress({ group, steps, style, columns, now, spinner }: GroupProgressProps) {
  // In a plan run, "planned" is as far as a step goes.
  const done = steps.filter((s) => isFinished(s.status) || s.status === "planned").length;
  const running = steps.filter((s) => isRunning(s.status));
  const waiting = steps.length - done - running.length;
  const counts = [`${done}/${steps.length} done`];
  if (running.length > 0) counts.push(`${running.length} running`);
  if (waiting > 0) counts.push(`${waiting} waiting`);
  const head = truncate(`${style.bold(groupTitle[group])}  ${style.dim(counts.join(", "))}`, columns);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">{head}</Text>
      {running.slice(0, maxRunningRows).map((step) => (
        <Text key={step.id} wrap="truncate-end">
          {runningLines(step, spinner, now, style, columns).join("\n")}
        </Text>
      ))}
      {running.length > maxRunningRows ? (
        <Text>{style.dim(`    +${running.length - maxRunningRows} more running`)}</Text>
      ) : null}
    </Box>
  );
}
