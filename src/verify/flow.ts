import type { StepDeps } from "../../steps/deps.js";
import { AbortedError, toErrorInfo } from "../engine/errors.js";
import { EventStream } from "../engine/events.js";
import type { EventListener, RunOutcome, StepInfo } from "../engine/types.js";
import { GateStop, type Found, type Milestone, type VerifyContext } from "./context.js";
import { devopsRuns } from "./devops-runs.js";
import { cdMilestones, ciRun } from "./pipelines.js";
import { completePullRequest, openPullRequest, prCheck } from "./pull-request.js";

/**
 * `verify`: the delivery flow, shown working. Each milestone is a step of the usual event
 * stream (group "verify", mode "verify"), run one after the other; the first failure ends
 * the run (the rest are skipped), and so does the first gate that needs a person (status
 * "waiting", outcome "stopped") unless `approve` is set.
 */

export interface VerifyOptions {
  /** Approve approvals and resume manual validations (the CLI allows it on the sandbox only). */
  readonly approve: boolean;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly onEvent: EventListener;
}

export interface VerifyResult {
  readonly outcome: RunOutcome;
  readonly found: Readonly<Found>;
}

interface MilestoneDef {
  readonly id: string;
  readonly title: string;
  run(ctx: VerifyContext): Promise<Milestone>;
}

function milestones(deps: StepDeps): MilestoneDef[] {
  const n = deps.names;
  const defs: (MilestoneDef | false)[] = [
    { id: "verify/pull-request", title: "Pull request with a trivial change", run: openPullRequest },
    { id: "verify/pr-check", title: `PR check ${n.pipelinePr}`, run: prCheck },
    { id: "verify/pr-complete", title: "PR merge", run: completePullRequest },
    { id: "verify/ci", title: `CI ${n.pipelineCi}`, run: ciRun },
    { id: "verify/cd-staging", title: `CD ${n.pipelineCd}: staging`, run: cdMilestones.staging },
    { id: "verify/cd-acceptance", title: "CD: acceptance tests", run: cdMilestones.acceptance },
    deps.answers.pipeline.manualValidation.enabled && {
      id: "verify/cd-validation",
      title: "CD: manual validation",
      run: cdMilestones.validation,
    },
    { id: "verify/cd-approval", title: `CD: approval for ${n.environmentProd}`, run: cdMilestones.approval },
    {
      id: "verify/cd-promotion",
      title: "CD: image into the production registry",
      run: cdMilestones.promotion,
    },
    { id: "verify/cd-production", title: `CD: production`, run: cdMilestones.production },
  ];
  return defs.filter((d): d is MilestoneDef => d !== false);
}

export async function runVerify(deps: StepDeps, opts: VerifyOptions): Promise<VerifyResult> {
  const events = new EventStream(opts.onEvent);
  const defs = milestones(deps);
  const started = Date.now();
  const steps: StepInfo[] = defs.map((d, i) => ({
    id: d.id,
    title: d.title,
    group: "verify",
    dependsOn: i > 0 ? [defs[i - 1]!.id] : [],
  }));
  events.emit({ type: "run-start", mode: "verify", steps });
  let current = "";
  const found: Found = {};
  const ctx: VerifyContext = {
    deps,
    runs: devopsRuns(deps.devops),
    signal: opts.signal,
    approve: opts.approve,
    deadline: started + opts.timeoutMs,
    timeoutMs: opts.timeoutMs,
    pollMs: deps.target.pollIntervalMs,
    progress: (detail) => events.emit({ type: "progress", stepId: current, detail }),
    found,
  };
  let outcome: RunOutcome = "succeeded";
  let failed = 0;
  let skipped = 0;
  for (const def of defs) {
    if (outcome !== "succeeded") {
      const reason =
        outcome === "stopped"
          ? "behind the gate above"
          : outcome === "failed"
            ? "an earlier milestone failed"
            : "run interrupted";
      events.emit({
        type: "step-status",
        stepId: def.id,
        status: outcome === "aborted" ? "aborted" : "skipped",
        reason,
      });
      skipped++;
      continue;
    }
    current = def.id;
    events.emit({ type: "step-status", stepId: def.id, status: "applying" });
    try {
      if (opts.signal.aborted) throw new AbortedError();
      const m = await def.run(ctx);
      events.emit({
        type: "step-status",
        stepId: def.id,
        status: "succeeded",
        reason: m.reason,
        ...(m.links ? { links: m.links } : {}),
      });
    } catch (err) {
      if (err instanceof GateStop) {
        outcome = "stopped";
        events.emit({
          type: "step-status",
          stepId: def.id,
          status: "waiting",
          reason: err.reason,
          links: err.links,
          next: err.next,
        });
      } else if (err instanceof AbortedError || opts.signal.aborted) {
        outcome = "aborted";
        events.emit({ type: "step-status", stepId: def.id, status: "aborted", reason: "run interrupted" });
      } else {
        outcome = "failed";
        failed++;
        events.emit({ type: "step-status", stepId: def.id, status: "failed", error: toErrorInfo(err) });
      }
    }
  }
  events.emit({
    type: "summary",
    mode: "verify",
    outcome,
    counts: { create: 0, update: 0, delete: 0, noop: 0 },
    failed,
    skipped,
    durationMs: Date.now() - started,
  });
  return { outcome, found };
}
