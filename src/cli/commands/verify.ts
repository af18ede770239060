import { UserError } from "../../engine/errors.js";
import type { RunOutcome } from "../../engine/types.js";
import { parseDuration } from "../../verify/duration.js";
import type { CliArgs } from "../args.js";
import { ExitCode } from "../exit-codes.js";
import { onInterrupt } from "../interrupt.js";
import type { CliIo } from "../main.js";
import { prepare, type Prepared } from "../run-flow.js";

const DEFAULT_TIMEOUT = "60m";

/** Exit code of a verify run: 0 done, 1 failed, 3 stopped at a gate, 130 interrupted. */
export function verifyExitCode(outcome: RunOutcome): number {
  switch (outcome) {
    case "succeeded":
      return ExitCode.ok;
    case "stopped":
      return ExitCode.gate;
    case "aborted":
      return ExitCode.interrupted;
    case "failed":
      return ExitCode.error;
  }
}

/**
 * Flags judged before anything starts. `--approve` acts for the approvers, which only the
 * sandbox (a demo with no people) may do: on Azure the people named in the checks approve.
 */
function verifyFlags(args: CliArgs): { timeoutMs: number } {
  if (args.approve && args.sandbox === undefined) {
    throw new UserError(
      "--approve works on the sandbox only: on Azure the approvers named in the checks approve",
      "Run `aks-bootstrap verify` without --approve: it stops at the first gate and prints where to approve.",
    );
  }
  return { timeoutMs: parseDuration(args.timeout ?? DEFAULT_TIMEOUT) };
}

/**
 * Runs the verify flow with the live reporter; `afterApply` when the wizard offers it after a
 * successful apply (the question already asked for the merge).
 */
export async function runVerifyFlow(
  prepared: Prepared,
  args: CliArgs,
  opts: { timeoutMs: number; signal: AbortSignal },
): Promise<number> {
  const { runVerify } = await import("../../verify/flow.js");
  const reporter = await prepared.reporter();
  try {
    const result = await runVerify(prepared.session.deps, {
      approve: args.approve && args.sandbox !== undefined,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      onEvent: (e) => reporter.onEvent(e),
    });
    return verifyExitCode(result.outcome);
  } finally {
    await reporter.close();
  }
}

/** May verify merge a pull request? The sandbox: yes; Azure: --yes, or a confirmation. */
async function mayMerge(args: CliArgs, prepared: Prepared): Promise<boolean> {
  if (args.sandbox !== undefined || args.yes) return true;
  const { answers } = prepared.session;
  if (!prepared.interactive) {
    throw new UserError(
      `verify merges a pull request into ${answers.devops.defaultBranch} of ${answers.devops.repository}, and cannot ask to confirm: no terminal`,
      "Pass --yes to allow the merge, or run it in a terminal.",
    );
  }
  const { confirmVerify } = await import("../../ui/wizard/confirm.js");
  return confirmVerify({ repository: answers.devops.repository, branch: answers.devops.defaultBranch });
}

/**
 * `verify`: opens a pull request with a trivial change, waits for the PR check and the
 * policies, merges it, then follows CI and CD milestone by milestone; stops at the first gate
 * that needs a person (exit 3) unless --approve (sandbox only).
 */
export async function verifyCommand(args: CliArgs, io: CliIo): Promise<number> {
  const { timeoutMs } = verifyFlags(args);
  const prepared = await prepare(args, io, { wizard: false });
  const interrupt = onInterrupt({});
  try {
    if (!(await mayMerge(args, prepared))) {
      io.stdout.write("Nothing changed.\n");
      return ExitCode.ok;
    }
    return await runVerifyFlow(prepared, args, { timeoutMs, signal: interrupt.signal });
  } finally {
    interrupt.dispose();
    await prepared.session.close();
  }
}
