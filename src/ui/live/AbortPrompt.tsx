import { Text, useInput } from "ink";
import type { Style } from "../style.js";

export interface AbortPromptProps {
  readonly style: Style;
  readonly onAnswer: (stop: boolean) => void;
}

/**
 * "Stop? (Y/n)" drawn inside the live view. Reads stdin only while shown, so the rest of the run
 * leaves the terminal in cooked mode and Ctrl-C reaches the CLI as SIGINT. A second Ctrl-C
 * here means yes.
 */
export function AbortPrompt({ style, onAnswer }: AbortPromptProps) {
  useInput((input, key) => {
    if ((key.ctrl && input === "c") || key.return || input.toLowerCase() === "y") onAnswer(true);
    else if (key.escape || input.toLowerCase() === "n") onAnswer(false);
  });
  return (
    <Text>
      {style.yellow("?")} Stop the run? Running calls finish, nothing new starts. {style.dim("(Y/n)")}
    </Text>
  );
}
