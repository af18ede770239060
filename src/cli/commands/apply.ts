import { applyRun, planRun } from "../../engine/runner.js";
import type { Reporter } from "../../ui/reporter-types.js";
import type { CliArgs } from "../args.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../main.js";
import {
  exitCodeOf,
  hasChanges,
  planAskingAgain,
  prepare,
  reportedRun,
  requireYesWhenNonInteractive,
} from "../run-flow.js";
import type { EngineEvent } from "../../engine/types.js";
import { onInterrupt } from "../interrupt.js";
import { parseDuration } from "../../verify/duration.js";

/**
 * `apply`: plan, show it, confirm (unless --yes / --non-interactive), then converge, reusing
 * the plan's reads so a no-op rerun reads each object once.
 */
export async function applyCommand(args: CliArgs, io: CliIo): Promise<number> {
  // --timeout is for the verify the wizard offers afterwards: a bad one is refused before anything.
  const verifyTimeoutMs = parseDuration(args.timeout ?? "60m");
  let prepared = await prepare(args, io);
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
    // A plan that fails on one answer from the wizard asks it again, then plans again.
    const planned = await planAskingAgain(prepared, (p, onFailure) =>
      reportedRun(p, { confirmingPlan: true }, (onEvent, reporter) => {
        current = reporter;
        const listen = (e: EngineEvent) => {
          onFailure(e);
          onEvent(e);
        };
        return planRun(p.steps, { onEvent: listen, signal: interrupt.signal, ...concurrency });
      }),
    );
    prepared = planned.prepared;
    const plan = planned.plan;
    current = undefined;
    if (plan.outcome !== "succeeded") return exitCodeOf(plan);
    if (!hasChanges(plan)) return ExitCode.ok;
    if (asking) {
      const { confirmPlan } = await import("../../ui/wizard/confirm.js");
      if (!(await confirmPlan())) {
        io.stdout.write("Nothing changed.\n");
        return ExitCode.ok;
      }
    }
    const ready = prepared;
    const result = await reportedRun(ready, { changes: plan.changes }, (onEvent, reporter) => {
      current = reporter;
      return applyRun(ready.steps, { plan, onEvent, signal: interrupt.signal, ...concurrency });
    });
    if (result.outcome === "succeeded" && prepared.interactive) {
      current = undefined;
      return await offerVerify(prepared, args, { timeoutMs: verifyTimeoutMs, signal: interrupt.signal });
    }
    return exitCodeOf(result);
  } finally {
    interrupt.dispose();
    await prepared.session.close();
  }
}

/** The wizard's last question after a successful apply: "Run verify now?" (see `verify`). */
async function offerVerify(
  prepared: Awaited<ReturnType<typeof prepare>>,
  args: CliArgs,
  opts: { timeoutMs: number; signal: AbortSignal },
): Promise<number> {
  const { confirmVerify } = await import("../../ui/wizard/confirm.js");
  const { answers } = prepared.session;
  const yes = await confirmVerify({
    repository: answers.devops.repository,
    branch: answers.devops.defaultBranch,
    afterApply: true,
  });
  if (!yes) return ExitCode.ok;
  const { runVerifyFlow } = await import("./verify.js");
  return runVerifyFlow(prepared, args, opts);
}
