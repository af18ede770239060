import { planRun } from "../../engine/runner.js";
import type { CliArgs } from "../args.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../main.js";
import { exitCodeOf, hasChanges, prepare, reportedRun } from "../run-flow.js";
import { onInterrupt } from "../interrupt.js";

/** `plan`: detect + diff everything, change nothing. */
export async function planCommand(args: CliArgs, io: CliIo): Promise<number> {
  const prepared = await prepare(args, io);
  const interrupt = onInterrupt({});
  try {
    const result = await reportedRun(prepared, {}, (onEvent) =>
      planRun(prepared.steps, {
        onEvent,
        signal: interrupt.signal,
        ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      }),
    );
    if (result.outcome !== "succeeded") return exitCodeOf(result);
    return args.detailedExitcode && hasChanges(result) ? ExitCode.changes : ExitCode.ok;
  } finally {
    interrupt.dispose();
    await prepared.session.close();
  }
}
