import { BuildReason } from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import { UserError } from "../engine/errors.js";
import { groupVariables } from "../../steps/devops/variables.js";
import { GateStop, need, runLabel, runLink, waitFor, type Milestone, type VerifyContext } from "./context.js";
import { runInfo, type RunInfo } from "./devops-runs.js";
import { notAnApprover } from "./not-an-approver.js";
import {
  failedRunError,
  followRun,
  missingFor,
  permissionError,
  readRun,
  refuseWaiting,
  resultsPage,
} from "./follow-run.js";
import { currentActivity, jobRecords, progressOf, waitingOn, type Rec, type Waiting } from "./timeline.js";

const ok = (r: RunInfo) => r.result === "succeeded" || r.result === "partiallySucceeded";

/**
 * Login server of the registry an environment pulls from, as its variable group tells the
 * pipeline (right for existing registries too); the default name's server when unreadable.
 */
async function loginServer(ctx: VerifyContext, stage: "staging" | "prod"): Promise<string> {
  const at = need(ctx.found.located, "the project");
  const { names } = ctx.deps;
  const group = stage === "staging" ? names.variableGroupStaging : names.variableGroupProd;
  const registry = stage === "staging" ? names.registryNonprod : names.registryProd;
  const value = await ctx.runs.groupVariable(at.projectId, group, groupVariables.registryLoginServer);
  return value ?? `${registry}.azurecr.io`;
}

/** Milestone 4: CI runs for the merge commit, pushes the image (tagged with its build id). */
export async function ciRun(ctx: VerifyContext): Promise<Milestone> {
  const at = need(ctx.found.located, "the project");
  const merge = need(ctx.found.mergeCommit, "the merge commit");
  const name = ctx.deps.names.pipelineCi;
  ctx.progress(`waiting for ${name} to be queued for ${merge.slice(0, 8)}`);
  const queued = await waitFor(
    ctx,
    `${name} to be queued for merge commit ${merge.slice(0, 8)} on ${at.defaultBranch}`,
    () => ciRunFor(ctx, merge),
  );
  ctx.found.ciRun = queued;
  const done = await followRun(ctx, queued, name);
  ctx.found.ciRun = done;
  if (!ok(done)) throw await failedRunError(ctx, done, name);
  // The CI YAML tags the image with $(Build.BuildId); CD deploys $(resources.pipeline.ci.runID).
  const tag = String(done.id);
  const { names } = ctx.deps;
  const nonprod = await loginServer(ctx, "staging");
  ctx.found.image = { repository: names.imageRepository, tag, nonprod };
  return {
    reason: `succeeded: ${runLabel(done)}, image ${nonprod}/${names.imageRepository}:${tag} in the non-prod registry`,
    links: runLink(done),
  };
}

/** The CD run CI's completion triggered (reason resourceTrigger, pointing at the CI run). */
async function findCdRun(ctx: VerifyContext): Promise<RunInfo> {
  const ci = need(ctx.found.ciRun, "the CI run");
  const name = ctx.deps.names.pipelineCd;
  return waitFor(ctx, `${name} to be triggered by ${ctx.deps.names.pipelineCi} ${runLabel(ci)}`, () =>
    cdRunFor(ctx, ci),
  );
}

/** The CI run for a merge commit on the default branch, if queued. */
export async function ciRunFor(ctx: VerifyContext, merge: string): Promise<RunInfo | undefined> {
  const at = need(ctx.found.located, "the project");
  const ids = need(ctx.found.pipelines, "the pipelines");
  const builds = await ctx.runs.builds(at.projectId, ids.ci, { branch: `refs/heads/${at.defaultBranch}` });
  const b = builds.find((x) => x.sourceVersion === merge);
  return b ? runInfo(b, resultsPage(ctx)) : undefined;
}

/** The CD run a CI run's completion triggered, if queued. */
export async function cdRunFor(ctx: VerifyContext, ci: RunInfo): Promise<RunInfo | undefined> {
  const at = need(ctx.found.located, "the project");
  const ids = need(ctx.found.pipelines, "the pipelines");
  const builds = (await ctx.runs.builds(at.projectId, ids.cd, { reason: BuildReason.ResourceTrigger }))
    .map((b) => runInfo(b, resultsPage(ctx)))
    .sort((a, b) => a.id - b.id);
  const named = builds.find(
    (b) => b.triggeredBy.includes(String(ci.id)) || b.triggeredBy.includes(ci.number),
  );
  // Without trigger details: the first resource-triggered run queued after CI finished.
  const after = builds.find(
    (b) => b.queueTime !== undefined && ci.finishTime !== undefined && b.queueTime >= ci.finishTime,
  );
  return named ?? after;
}

/** What one CD milestone is: the records that show it, and the gate it may stop at. */
interface CdTarget {
  readonly what: string;
  records(all: readonly Rec[]): Rec[];
  /** The kind of wait that IS this milestone (verify stops or approves there). */
  readonly gate?: "manual-validation" | "approval";
}

/**
 * Follows the CD run until `target` has succeeded. A wait for the milestone's own gate stops
 * verify (or, with --approve, is approved); a wait for permission is an error with the fix.
 */
async function followCd(
  ctx: VerifyContext,
  target: CdTarget,
): Promise<{ run: RunInfo; records: Rec[]; acted: boolean }> {
  const name = ctx.deps.names.pipelineCd;
  ctx.found.cdRun ??= await findCdRun(ctx);
  const first = ctx.found.cdRun;
  const acted = new Set<string>();
  const done = await waitFor(
    ctx,
    `${name} ${runLabel(first)}: ${target.what}`,
    async () => {
      const { run, records } = await readRun(ctx, first);
      ctx.found.cdRun = run;
      const progress = progressOf(target.records(records));
      if (progress.kind === "succeeded") return { run, records };
      if (progress.kind === "failed") throw await failedRunError(ctx, run, name, { records });
      if (run.state === "completed") {
        if (!ok(run)) throw await failedRunError(ctx, run, name, { records });
        throw new UserError(
          `${name} ${runLabel(run)} finished without ${target.what}`,
          `See ${run.web}; check that ${ctx.deps.names.pipelineCd}'s YAML is the one aks-bootstrap generated (rerun \`aks-bootstrap apply\`).`,
        );
      }
      const waiting = await gateOf(ctx, run, records);
      if (waiting) {
        if (waiting.kind === "permission") throw await permissionError(ctx, run, name, waiting);
        if (waiting.kind === target.gate) {
          if (!ctx.approve) throw await gateStop(ctx, run, waiting);
          await act(ctx, run, waiting, acted);
          ctx.progress(
            `${runLabel(run)}: ${waiting.kind === "approval" ? "approved" : "resumed"}, continuing`,
          );
          return undefined;
        }
        if (waiting.kind !== "check") await refuseWaiting(ctx, run, name, waiting);
        // A check that is not an approval may be the authorization under another name: ask
        // the permissions API rather than wait for the deadline.
        const missing = await missingFor(ctx, name);
        if (missing.length > 0)
          throw await permissionError(ctx, run, name, { where: waiting.where, messages: [] }, missing);
      }
      const activity = currentActivity(records);
      ctx.progress(
        `${runLabel(run)} ${waiting?.kind === "check" ? "waiting for a check" : "running"}${activity ? `: ${activity}` : ""}`,
      );
      return undefined;
    },
    first.web,
  );
  return { ...done, acted: acted.size > 0 };
}

/** The timeline's wait, with the approval itself when the approvals API lists one for the run. */
async function gateOf(
  ctx: VerifyContext,
  run: RunInfo,
  records: readonly Rec[],
): Promise<Waiting | undefined> {
  const waiting = waitingOn(records);
  if (waiting && waiting.kind !== "check") return waiting;
  // A pending approval for this run is a gate even if the timeline names it differently.
  const at = need(ctx.found.located, "the project");
  const approvals = (await ctx.runs.pendingApprovals(at.projectId)).filter((a) => a.runId === run.id);
  if (approvals.length > 0) return { kind: "approval", where: waiting?.where ?? "the run" };
  return waiting;
}

async function gateStop(ctx: VerifyContext, run: RunInfo, waiting: Waiting): Promise<GateStop> {
  const at = need(ctx.found.located, "the project");
  if (waiting.kind === "approval") {
    const approvals = (await ctx.runs.pendingApprovals(at.projectId)).filter((a) => a.runId === run.id);
    const who = [...new Set(approvals.flatMap((a) => a.approvers))];
    return new GateStop(
      `approval needed for ${waiting.where}${who.length ? ` (approvers: ${who.join(", ")})` : ""}`,
      [{ label: `approve on ${runLabel(run)}`, url: run.web }],
      "An approver opens the run and chooses Review, then Approve; the run continues to production.",
    );
  }
  return new GateStop(
    `manual validation needed at ${waiting.where}`,
    [{ label: `resume or reject on ${runLabel(run)}`, url: run.web }],
    "A validator checks staging, opens the run and chooses Resume; the run continues.",
  );
}

/** --approve: approves the run's pending approvals, or resumes its ManualValidation task. */
async function act(ctx: VerifyContext, run: RunInfo, waiting: Waiting, acted: Set<string>): Promise<void> {
  const at = need(ctx.found.located, "the project");
  const comment = "Approved by aks-bootstrap verify --approve";
  if (waiting.kind === "approval") {
    const approvals = (await ctx.runs.pendingApprovals(at.projectId)).filter((a) => a.runId === run.id);
    for (const a of approvals.filter((x) => !acted.has(x.id))) {
      await ctx.runs.approve(at.projectId, a.id, comment).catch((err: unknown) => {
        throw notAnApprover(err, {
          gate: `the approval for ${waiting.where}`,
          approvers: a.approvers,
          link: { label: `approve on ${runLabel(run)}`, url: run.web },
          next: "One of its approvers opens the run and chooses Review, then Approve; then rerun `aks-bootstrap verify`.",
        });
      });
      acted.add(a.id);
    }
    return;
  }
  if (waiting.kind !== "manual-validation" || acted.has(waiting.task.id)) return;
  if (!run.planId || !waiting.task.parentId)
    throw new Error(`${runLabel(run)} reports no plan or job for its ManualValidation task`);
  await ctx.runs
    .resumeTask(at.projectId, run.planId, waiting.task.parentId, waiting.task.id)
    .catch((err: unknown) => {
      throw notAnApprover(err, {
        gate: `the manual validation at ${waiting.where}`,
        approvers: [],
        link: { label: `resume or reject on ${runLabel(run)}`, url: run.web },
        next: "One of its validators opens the run and chooses Resume; then rerun `aks-bootstrap verify`.",
      });
    });
  acted.add(waiting.task.id);
}

const job = (name: string, displayName?: string) => (all: readonly Rec[]) =>
  jobRecords(all, name, displayName);

/** Milestones 5-10: the CD run, stage by stage. */
export const cdMilestones = {
  async staging(ctx: VerifyContext): Promise<Milestone> {
    const env = ctx.deps.names.environmentStaging;
    const { run } = await followCd(ctx, {
      what: `the deployment to ${env}`,
      records: job("deploy_staging", `Deploy to ${env}`),
    });
    const tag = ctx.found.image?.tag;
    return {
      reason: `deployed${tag ? ` ${ctx.deps.names.imageRepository}:${tag}` : ""} to ${env}: ${runLabel(run)}`,
      links: runLink(run),
    };
  },
  async acceptance(ctx: VerifyContext): Promise<Milestone> {
    const { run } = await followCd(ctx, {
      what: "the acceptance tests",
      records: job("acceptance", "Acceptance tests"),
    });
    return { reason: `passed: ${runLabel(run)}`, links: runLink(run) };
  },
  async validation(ctx: VerifyContext): Promise<Milestone> {
    const { run, acted } = await followCd(ctx, {
      what: "the manual validation",
      records: job("manual_validation", "Wait for validation"),
      gate: "manual-validation",
    });
    const how = acted ? "resumed by --approve" : "resumed";
    return { reason: `${how}: ${runLabel(run)}`, links: runLink(run) };
  },
  async approval(ctx: VerifyContext): Promise<Milestone> {
    const env = ctx.deps.names.environmentProd;
    // Done once the production deployment job has started: its environment's checks passed.
    const started = (all: readonly Rec[]) =>
      jobRecords(all, "deploy_production", `Deploy to ${env}`)
        .filter((r) => r.state !== "pending")
        .slice(0, 1)
        .map((r) => ({ ...r, state: "completed" as const, result: "succeeded" as const }));
    const { run, records, acted } = await followCd(ctx, {
      what: `the approval of ${env}`,
      records: started,
      gate: "approval",
    });
    const links = runLink(run);
    if (acted) return { reason: `approved by --approve: ${runLabel(run)}`, links };
    if (records.some((r) => r.type === "Checkpoint.Approval"))
      return { reason: `approved: ${runLabel(run)}`, links };
    return {
      reason: `not asked: environment ${env} has no Approval check (rerun \`aks-bootstrap apply\` to restore it): ${runLabel(run)}`,
      links,
    };
  },
  async promotion(ctx: VerifyContext): Promise<Milestone> {
    const importTask = (all: readonly Rec[]) =>
      all.filter((r) => r.type === "Task" && /az acr import/i.test(r.name));
    const { run } = await followCd(ctx, {
      what: "the image import into the production registry",
      records: importTask,
    });
    const image = need(ctx.found.image, "the image");
    const prod = await loginServer(ctx, "prod");
    return {
      reason: `imported ${prod}/${image.repository}:${image.tag}: ${runLabel(run)}`,
      links: runLink(run),
    };
  },
  async production(ctx: VerifyContext): Promise<Milestone> {
    const env = ctx.deps.names.environmentProd;
    const { run } = await followCd(ctx, {
      what: `the deployment to ${env}`,
      records: job("deploy_production", `Deploy to ${env}`),
    });
    const finished = await waitFor(
      ctx,
      `${ctx.deps.names.pipelineCd} ${runLabel(run)} to finish`,
      async () => {
        const { run: r } = await readRun(ctx, run);
        return r.state === "completed" ? r : undefined;
      },
      run.web,
    );
    if (!ok(finished)) throw await failedRunError(ctx, finished, ctx.deps.names.pipelineCd);
    return { reason: `deployed to ${env}: ${runLabel(finished)}`, links: runLink(finished) };
  },
};
