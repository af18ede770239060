import { planRun } from "../../engine/runner.js";
import type { CliArgs } from "../args.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../main.js";
import { exitCodeOf, hasChanges, planAskingAgain, prepare, reportedRun } from "../run-flow.js";
import { onInterrupt } from "../interrupt.js";

/** `plan`: detect + diff everything, change nothing. */
export async function planCommand(args: CliArgs, io: CliIo): Promise<number> {
  let prepared = await prepare(args, io);
  const interrupt = onInterrupt({});
  try {
    // A plan that fails on one answer from the wizard asks it again, then plans again.
    const planned = await planAskingAgain(prepared, (p, onFailure) =>
      reportedRun(p, {}, (onEvent) =>
        planRun(p.steps, {
          onEvent: (e) => {
            onFailure(e);
            onEvent(e);
          },
          signal: interrupt.signal,
          ...(args.concurrency ? { concurrency: args.concurrency } : {}),
        }),
      ),
    );
    prepared = planned.prepared;
    const result = planned.plan;
    if (result.outcome !== "succeeded") return exitCodeOf(result);
    return args.detailedExitcode && hasChanges(result) ? ExitCode.changes : ExitCode.ok;
  } finally {
    interrupt.dispose();
    await prepared.session.close();
  }
}
