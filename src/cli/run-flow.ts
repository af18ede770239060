import { UserError } from "../engine/errors.js";
import { ExitCode } from "./exit-codes.js";
import type { RunResult } from "../engine/runner.js";
import type { Change, EngineEvent, Step } from "../engine/types.js";
import type { CliArgs } from "./args.js";
import type { CliIo } from "./main.js";
import {
  allSteps,
  isInteractive,
  loadAnswersFor,
  openSession,
  startSandboxFor,
  type Session,
} from "./session.js";
import { answerSources, type AnswerSourceInfo } from "../answers/sources.js";
import { answerFieldError } from "../answers/validate-field.js";
import { askAgain, gatherAnswers, type Gathered } from "./gather.js";
import type { Sandbox } from "../sandbox/index.js";
import type { Reporter } from "../ui/reporter-types.js";

export type OutputKind = "tty" | "plain" | "json";

export interface Prepared {
  readonly session: Session;
  readonly steps: Step[];
  readonly output: OutputKind;
  readonly interactive: boolean;
  /** A reporter for one run; `confirmingPlan` / `changes` as in ReporterOptions. */
  reporter(extra?: { confirmingPlan?: boolean; changes?: ReadonlyMap<string, Change> }): Promise<Reporter>;
  /**
   * Answers from the wizard only: asks the answer `field` again after a plan failed on it
   * (`problem`), and returns what the next plan runs with; undefined when it cannot be asked.
   */
  askAgain?(field: string, problem: string): Promise<Prepared | undefined>;
}

/** Sandbox (if asked), answers (file, flags, env, wizard), session, steps and output choice. */
export async function prepare(args: CliArgs, io: CliIo, opts: { wizard?: boolean } = {}): Promise<Prepared> {
  const interactive = isInteractive(args, io);
  // Input that can be judged alone is refused before the sandbox starts, so a bad flag or a
  // missing answers file never creates a sandbox folder or opens a port.
  refuseBadAnswerFlags(args);
  if (args.stack !== undefined || args.withDockerfile) {
    throw new UserError(
      `${args.stack !== undefined ? "--stack" : "--with-dockerfile"} only goes with \`aks-bootstrap sandbox seed-repo\``,
      "To choose the app's stack, set `stack.language` (and `stack.tool`) in the answers file, or pick it in the wizard.",
    );
  }
  await loadAnswersFor(args, io);
  const sandbox = await startSandboxFor(args, io);
  try {
    const gathered = await gatherAnswers(args, io, {
      interactive: interactive && opts.wizard !== false,
      ...(sandbox ? { sandbox } : {}),
    });
    return await preparedFor(args, io, interactive, sandbox, gathered);
  } catch (err) {
    await sandbox?.close();
    throw err;
  }
}

/** Session, steps and reporter for one set of answers (the sandbox, if any, stays the same). */
async function preparedFor(
  args: CliArgs,
  io: CliIo,
  interactive: boolean,
  sandbox: Sandbox | undefined,
  gathered: Gathered,
): Promise<Prepared> {
  const session = await openSession(args, io, {
    ...(sandbox ? { sandbox } : {}),
    ...(gathered.file ? { file: gathered.file } : {}),
    ...(gathered.secretValues ? { secretValues: gathered.secretValues } : {}),
  });
  const steps = await allSteps(session.deps);
  const { chooseOutput, colorEnabled, createReporter } = await import("../ui/reporter.js");
  const output = chooseOutput(args.output, Boolean(io.stdout.isTTY), io.env);
  const color = output !== "json" && colorEnabled(Boolean(io.stdout.isTTY), io.env);
  return {
    session,
    steps,
    output,
    interactive,
    reporter: (extra = {}) =>
      createReporter(output, {
        stdout: io.stdout,
        stderr: io.stderr,
        color,
        debug: args.debug,
        links: summaryLinks(session),
        ...(io.stdout.columns ? { columns: io.stdout.columns } : {}),
        ...extra,
      }),
    ...(gathered.wizard
      ? {
          async askAgain(field: string, problem: string) {
            const next = await askAgain(io, gathered, {
              field,
              problem,
              organizationUrl: session.target.devopsOrganizationUrl,
            });
            return next ? preparedFor(args, io, interactive, sandbox, next) : undefined;
          },
        }
      : {}),
  };
}

/**
 * Runs the plan; when it fails on one answer (a UserError naming its field) and the answers
 * came from the wizard, asks that answer again and plans again, as long as the user answers.
 * Returns the plan and the Prepared it ran with (the last one, after any re-asking).
 */
export async function planAskingAgain(
  first: Prepared,
  plan: (prepared: Prepared, onEvent: (e: EngineEvent) => void) => Promise<RunResult>,
): Promise<{ prepared: Prepared; plan: RunResult }> {
  let prepared = first;
  for (;;) {
    let failure: { field: string; problem: string } | undefined;
    const result = await plan(prepared, (e) => {
      if (e.type === "step-status" && e.status === "failed" && e.error?.field && !failure)
        failure = { field: e.error.field, problem: e.error.message };
    });
    if (result.outcome !== "failed" || !failure || !prepared.askAgain) return { prepared, plan: result };
    const next = await prepared.askAgain(failure.field, failure.problem);
    if (!next) return { prepared, plan: result };
    prepared = next;
  }
}

export function summaryLinks(session: Session) {
  const { answers, target } = session;
  const org = target.devopsOrganizationUrl.replace(/\/+$/, "");
  const project = `${org}/${encodeURIComponent(answers.devops.project)}`;
  return {
    portal: `${target.portalUrl}/#@${answers.azure.tenantId}/resource/subscriptions/${answers.azure.subscriptionId}/resourceGroups/${session.names.resourceGroupNonprod}/overview`,
    devopsProject: project,
    pipelines: `${project}/_build`,
  };
}

export function hasChanges(result: RunResult): boolean {
  return [...result.changes.values()].some((c: Change) => c.kind !== "noop");
}

/** Exit code of a finished run: 0 succeeded, 1 failed, 130 interrupted. */
export function exitCodeOf(result: RunResult): number {
  if (result.outcome === "aborted") return ExitCode.interrupted;
  return result.outcome === "succeeded" ? ExitCode.ok : ExitCode.error;
}

/** Runs one engine run with its own reporter, closed when the run ends (also on error). */
export async function reportedRun(
  prepared: Prepared,
  extra: Parameters<Prepared["reporter"]>[0],
  run: (onEvent: (e: EngineEvent) => void, reporter: Reporter) => Promise<RunResult>,
): Promise<RunResult> {
  const reporter = await prepared.reporter(extra);
  try {
    return await run((e) => reporter.onEvent(e), reporter);
  } finally {
    await reporter.close();
  }
}

export function requireYesWhenNonInteractive(args: CliArgs, interactive: boolean): void {
  if (!interactive && !args.yes && !args.nonInteractive) {
    throw new UserError(
      "Cannot ask to confirm the plan: no terminal",
      "Pass --yes to apply without confirmation, or run in a terminal.",
    );
  }
}

/** Each answer given by flag (--app, --location, ...) checked by the answers file's own rules. */
function refuseBadAnswerFlags(args: CliArgs): void {
  const problems: string[] = [];
  for (const info of Object.values(answerSources) as AnswerSourceInfo[]) {
    const value = args.overrides[info.flagKey]?.trim();
    if (!value) continue;
    const problem = answerFieldError(info.field, value);
    if (problem) problems.push(`${info.field} (from ${info.flag}): ${problem}`);
  }
  if (problems.length) {
    throw new UserError(
      problems.join("\n"),
      "Fix the flag's value, or leave the flag out to use the answers file.",
    );
  }
}
