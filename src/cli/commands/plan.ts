import { planRun } from "../../engine/runner.js";
import type { CliArgs } from "../args.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../main.js";
import { hasChanges, listener, prepare } from "../run-flow.js";
import { onInterrupt } from "../interrupt.js";

/** `plan`: detect + diff everything, change nothing. */
export async function planCommand(args: CliArgs, io: CliIo): Promise<number> {
  const prepared = await prepare(args, io);
  const interrupt = onInterrupt({});
  try {
    const reporter = await prepared.reporter();
    const result = await planRun(prepared.steps, {
      onEvent: listener(reporter),
      signal: interrupt.signal,
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
    });
    await reporter.close();
    if (result.outcome === "aborted") return ExitCode.interrupted;
    if (result.outcome === "failed") return ExitCode.error;
    return args.detailedExitcode && hasChanges(result) ? ExitCode.changes : ExitCode.ok;
  } finally {
    interrupt.dispose();
    await prepared.session.close();
  }
}
