import { UserError } from "../engine/errors.js";
import { GateStop, need, runLabel, waitFor, type VerifyContext } from "./context.js";
import { runInfo, type RunInfo } from "./devops-runs.js";
import { missingPermissions, type MissingPermission } from "./permissions.js";
import { currentActivity, firstFailure, waitingOn, type Rec, type Waiting } from "./timeline.js";

/** The build results page used when a build carries no web link of its own. */
export function resultsPage(ctx: VerifyContext): string {
  const at = need(ctx.found.located, "the project");
  return `${ctx.deps.devops.organizationUrl}/${encodeURIComponent(at.projectName)}/_build/results`;
}

/** The run again, with its timeline. */
export async function readRun(ctx: VerifyContext, run: RunInfo): Promise<{ run: RunInfo; records: Rec[] }> {
  const at = need(ctx.found.located, "the project");
  const [b, records] = await Promise.all([
    ctx.runs.build(at.projectId, run.id),
    ctx.runs.timeline(at.projectId, run.id),
  ]);
  return { run: b ? runInfo(b, resultsPage(ctx)) : run, records };
}

/**
 * "Waiting for permission": which resources the pipeline is not authorized for (read from the
 * pipelinePermissions API, so the message names them even when the timeline does not), and the fix.
 */
export async function permissionError(
  ctx: VerifyContext,
  run: RunInfo,
  name: string,
  waiting: { readonly where: string; readonly messages: readonly string[] },
  known?: readonly MissingPermission[],
): Promise<UserError> {
  const missing = known ?? (await missingFor(ctx, name));
  const what =
    missing.length > 0
      ? missing.map((m) => `${m.label} ${m.name}`).join(", ")
      : "a protected resource (service connection, variable group or environment)";
  // The service's own words only when the permissions API could not name the resource.
  const said =
    missing.length === 0 && waiting.messages.length > 0
      ? ` Azure DevOps says: ${waiting.messages.join(" ")}`
      : "";
  return new UserError(
    `${name} ${runLabel(run)} is waiting for permission: ${waiting.where} uses ${what}, which pipeline ${name} is not authorized for.${said}`,
    `Rerun \`aks-bootstrap apply\`: it authorizes each pipeline for exactly the resources it uses, and the waiting run continues. Or open ${run.web} and choose "Permit".`,
  );
}

/** The resources pipeline `name` (CI or CD) uses but may not (pipelinePermissions API). */
export async function missingFor(ctx: VerifyContext, name: string): Promise<MissingPermission[]> {
  const at = need(ctx.found.located, "the project");
  const ids = need(ctx.found.pipelines, "the pipelines");
  const kind = name === ctx.deps.names.pipelineCi ? "ci" : "cd";
  return missingPermissions(ctx.deps, at.projectId, kind === "ci" ? ids.ci : ids.cd, kind);
}

/** The error of a failed run: the failing stage / job / step and its messages, from the timeline. */
export async function failedRunError(
  ctx: VerifyContext,
  run: RunInfo,
  name: string,
  opts: { records?: Rec[]; extra?: string } = {},
): Promise<UserError> {
  const records = opts.records ?? (await readRun(ctx, run)).records;
  const failure = firstFailure(records);
  const where = failure ? ` at ${failure.where}` : "";
  const why = failure && failure.messages.length > 0 ? `: ${failure.messages.join(" ")}` : "";
  const head = `${name} ${runLabel(run)} ${run.result ?? "failed"}${where}${why}`;
  return new UserError(
    opts.extra ? `${head}${head.endsWith(".") ? "" : "."} ${opts.extra}` : head,
    `See the run's log at ${run.web}; fix the cause on a branch, then rerun \`aks-bootstrap verify\`.`,
  );
}

/**
 * Stops on what a run waits for that verify does not handle here: a permission (an error with
 * the fix), or a check that needs a person (a gate).
 */
export async function refuseWaiting(
  ctx: VerifyContext,
  run: RunInfo,
  name: string,
  waiting: Waiting,
): Promise<never> {
  if (waiting.kind === "permission") throw await permissionError(ctx, run, name, waiting);
  throw new GateStop(
    `${name} ${runLabel(run)} waits for ${waiting.kind === "check" ? "a check" : waiting.kind.replace("-", " ")} at ${waiting.where}`,
    [{ label: `${runLabel(run)}`, url: run.web }],
    "Act on it on the run page; the run then continues by itself.",
  );
}

/** Follows a run (PR or CI) to its end, showing what runs now; returns the completed run. */
export async function followRun(ctx: VerifyContext, queued: RunInfo, name: string): Promise<RunInfo> {
  return waitFor(
    ctx,
    `${name} ${runLabel(queued)} to finish`,
    async () => {
      const { run, records } = await readRun(ctx, queued);
      if (run.state === "completed") return run;
      const waiting = waitingOn(records);
      if (waiting && waiting.kind !== "check") await refuseWaiting(ctx, run, name, waiting);
      const activity = currentActivity(records);
      ctx.progress(
        `${runLabel(run)} ${run.state === "notStarted" ? "queued" : "running"}${activity ? `: ${activity}` : ""}`,
      );
      return undefined;
    },
    queued.web,
  );
}
