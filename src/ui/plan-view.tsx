import { Box, Text } from "ink";
import type { EngineEvent } from "../engine/types.js";
import { renderPlanText, type PlanEntry } from "./plan-text.js";

export interface PlanViewProps {
  readonly plan: readonly (EngineEvent | PlanEntry)[];
  readonly color: boolean;
  readonly columns?: number;
  readonly showUnchanged?: boolean | "auto";
}

/**
 * The plan screen as an Ink component. It prints renderPlanText's lines, so the Ink view, the
 * plain reporter and the wizard's confirmation show the very same plan.
 */
export function PlanView({ plan, color, columns = 80, showUnchanged }: PlanViewProps) {
  const text = renderPlanText(plan, {
    color,
    columns,
    ...(showUnchanged === undefined ? {} : { showUnchanged }),
  });
  return (
    <Box flexDirection="column">
      {text.split("\n").map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line === "" ? " " : line}
        </Text>
      ))}
    </Box>
  );
}
