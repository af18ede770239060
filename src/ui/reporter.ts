import type { OutputKind, Reporter, ReporterOptions } from "./reporter-types.js";

export type { OutputKind, Reporter, ReporterOptions } from "./reporter-types.js";
export type { SummaryLinks } from "./summary-text.js";

/** True when the variable is set to something other than "", "0" or "false". */
function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

/**
 * Picks the renderer once, by capability (as listr2 does): the live view only on a terminal
 * outside CI (and not TERM=dumb); plain lines otherwise. An explicit `--output` always wins.
 */
export function chooseOutput(
  flag: "auto" | OutputKind,
  isTTY: boolean,
  env: Readonly<Record<string, string | undefined>>,
): OutputKind {
  if (flag !== "auto") return flag;
  // TERM=dumb (Emacs shells, some CI) cannot move the cursor: redraws would pile up.
  if (!isTTY || isSet(env["CI"]) || env["TERM"] === "dumb") return "plain";
  return "tty";
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorEnabled(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  return isTTY;
}

/**
 * Creates the reporter for an output kind. Ink and React are imported only for "tty", so plain
 * and JSON runs (CI, pipes) never pay for loading them.
 */
export async function createReporter(kind: OutputKind, opts: ReporterOptions): Promise<Reporter> {
  switch (kind) {
    case "json": {
      const { JsonReporter } = await import("./json-reporter.js");
      return new JsonReporter(opts);
    }
    case "plain": {
      const { PlainReporter } = await import("./plain-reporter.js");
      return new PlainReporter(opts);
    }
    case "tty": {
      const { createInkReporter } = await import("./live/ink-reporter.js");
      return createInkReporter(opts);
    }
  }
}
