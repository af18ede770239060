import { applyRun, planRun } from "../../engine/runner.js";
import type { Reporter } from "../../ui/reporter-types.js";
import type { CliArgs } from "../args.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../main.js";
import { hasChanges, listener, prepare, requireYesWhenNonInteractive } from "../run-flow.js";
import { onInterrupt } from "../interrupt.js";

/**
 * `apply`: plan, show it, confirm (unless --yes / --non-interactive), then converge, reusing
 * the plan's reads so a no-op rerun reads each object once.
 */
export async function applyCommand(args: CliArgs, io: CliIo): Promise<number> {
  const prepared = await prepare(args, io);
  requireYesWhenNonInteractive(args, prepared.interactive);
  // The live view asks "Stop?" inside its own screen; otherwise an inquirer prompt does.
  let current: Reporter | undefined;
  const confirmAbort = prepared.interactive
    ? async () =>
        current?.confirmAbort
          ? current.confirmAbort()
          : (await import("../../ui/wizard/confirm.js")).confirmAbort()
    : undefined;
  const interrupt = onInterrupt(confirmAbort ? { confirm: confirmAbort } : {});
  const concurrency = args.concurrency ? { concurrency: args.concurrency } : {};
  const asking = prepared.interactive && !args.yes;
  try {
    const planReporter = (current = await prepared.reporter({ confirmingPlan: true }));
    const plan = await planRun(prepared.steps, {
      onEvent: listener(planReporter),
      signal: interrupt.signal,
      ...concurrency,
    });
    await planReporter.close();
    current = undefined;
    if (plan.outcome === "aborted") return ExitCode.interrupted;
    if (plan.outcome === "failed") return ExitCode.error;
    if (!hasChanges(plan)) return ExitCode.ok;
    if (asking) {
      const { confirmPlan } = await import("../../ui/wizard/confirm.js");
      if (!(await confirmPlan())) {
        io.stdout.write("Nothing changed.\n");
        return ExitCode.ok;
      }
    }
    const reporter = (current = await prepared.reporter({ changes: plan.changes }));
    const result = await applyRun(prepared.steps, {
      plan,
      onEvent: listener(reporter),
      signal: interrupt.signal,
      ...concurrency,
    });
    await reporter.close();
    if (result.outcome === "aborted") return ExitCode.interrupted;
    return result.outcome === "succeeded" ? ExitCode.ok : ExitCode.error;
  } finally {
    interrupt.dispose();
    await prepared.session.close();
  }
}
