import { input } from "@inquirer/prompts";
import { UserError } from "../../engine/errors.js";
import { destroyRun } from "../../engine/runner.js";
import type { CliArgs } from "../args.js";
import { ExitCode } from "../exit-codes.js";
import { onInterrupt } from "../interrupt.js";
import type { CliIo } from "../main.js";
import { exitCodeOf, prepare, reportedRun } from "../run-flow.js";

/**
 * `destroy`: list what aks-bootstrap created (and what it keeps), ask for the app name to be
 * typed (or --yes --confirm APP), then remove it in reverse dependency order. Objects it did
 * not create are kept; a second destroy is a no-op.
 */
export async function destroyCommand(args: CliArgs, io: CliIo): Promise<number> {
  const prepared = await prepare(args, io, { wizard: false });
  const app = prepared.session.answers.app;
  if (!prepared.interactive && !(args.yes && args.confirm !== undefined)) {
    await prepared.session.close();
    throw new UserError(
      "destroy needs a confirmation and there is no terminal to ask",
      `Pass --yes --confirm ${app} to delete what aks-bootstrap created for "${app}".`,
    );
  }
  if (args.confirm !== undefined && args.confirm !== app) {
    await prepared.session.close();
    throw new UserError(
      `--confirm ${args.confirm} does not match the app "${app}"`,
      `Pass --confirm ${app} to destroy "${app}".`,
    );
  }
  const interrupt = onInterrupt({});
  const concurrency = args.concurrency ? { concurrency: args.concurrency } : {};
  try {
    const plan = await reportedRun(prepared, { confirmingPlan: true }, (onEvent) =>
      destroyRun(prepared.steps, { planOnly: true, onEvent, signal: interrupt.signal, ...concurrency }),
    );
    if (plan.outcome !== "succeeded") return exitCodeOf(plan);
    const deletions = [...plan.changes.values()].filter((c) => c.kind === "delete").length;
    if (deletions === 0) {
      io.stderr.write(`Nothing to destroy: aks-bootstrap created nothing for "${app}" that still exists.\n`);
      return ExitCode.ok;
    }
    if (args.confirm === undefined) {
      const typed = await input({
        message: `Type the app name (${app}) to delete the ${deletions} object(s) listed above`,
        validate: (v) => v === app || `Type ${app} exactly, or press Ctrl-C to keep everything.`,
      });
      if (typed !== app) return ExitCode.ok;
    }
    const result = await reportedRun(prepared, {}, (onEvent) =>
      destroyRun(prepared.steps, { plan, onEvent, signal: interrupt.signal, ...concurrency }),
    );
    return exitCodeOf(result);
  } finally {
    interrupt.dispose();
    await prepared.session.close();
  }
}
