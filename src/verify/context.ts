import type { StepDeps } from "../../steps/deps.js";
import { UserError } from "../engine/errors.js";
import { sleep } from "../engine/sleep.js";
import type { StepLink } from "../engine/types.js";
import { describeDuration } from "./duration.js";
import type { DevopsRuns, Located, RunInfo } from "./devops-runs.js";

/**
 * What the milestones of one verify run share: the clients, what earlier milestones found
 * (the pull request, the merge commit, the CI and CD runs), and the one deadline every wait
 * is measured against.
 */
export interface VerifyContext {
  readonly deps: StepDeps;
  readonly runs: DevopsRuns;
  readonly signal: AbortSignal;
  /** Approve gates (approvals, ManualValidation) instead of stopping at them. */
  readonly approve: boolean;
  /** Milliseconds since the epoch after which every wait gives up. */
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** Replaces the running milestone's detail line. */
  progress(detail: string): void;
  readonly found: Found;
}

export interface Found {
  located?: Located;
  pipelines?: { readonly pr: number; readonly ci: number; readonly cd: number };
  pullRequest?: { readonly id: number; readonly url: string; readonly sourceRef: string };
  mergeCommit?: string;
  prRun?: RunInfo;
  ciRun?: RunInfo;
  image?: { readonly repository: string; readonly tag: string; readonly nonprod: string };
  cdRun?: RunInfo;
}

/** What a finished milestone says: `passed: run 20261207.1`, with its links. */
export interface Milestone {
  readonly reason: string;
  readonly links?: readonly StepLink[];
}

/**
 * Thrown by a milestone that needs a person (an approval, a manual validation, a reviewer):
 * verify stops there with the links to act on, and exits with the gate code.
 */
export class GateStop extends Error {
  override readonly name = "GateStop";
  constructor(
    /** e.g. "production approval needed". */
    readonly reason: string,
    readonly links: readonly StepLink[],
    /** What the person does, e.g. "Approve the production stage on the run page." */
    readonly next: string,
  ) {
    super(reason);
  }
}

/**
 * Polls `check` every poll interval until it returns a value; gives up at the deadline with an
 * error naming what was awaited and where to look.
 */
export async function waitFor<T>(
  ctx: VerifyContext,
  what: string,
  check: () => Promise<T | undefined>,
  where?: string,
): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= ctx.deadline) {
      throw new UserError(
        `Timed out after ${describeDuration(ctx.timeoutMs)} waiting for ${what}`,
        `${where ? `See ${where}. ` : ""}Rerun with a longer --timeout (e.g. --timeout 2h) to wait longer.`,
      );
    }
    await sleep(Math.min(ctx.pollMs, Math.max(0, ctx.deadline - Date.now())), ctx.signal);
  }
}

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not known yet (an earlier milestone did not finish)`);
  return value;
}

/** The run's page, as a link under the milestone it showed. */
export const runLink = (r: RunInfo): StepLink[] => [{ label: runLabel(r), url: r.web }];

/**
 * `run 42 (20261207.3)`: the run id (unique in the project, as in the run's URL) and its name
 * (numbered per pipeline, so alone it is ambiguous).
 */
export const runLabel = (r: RunInfo) =>
  r.number && r.number !== String(r.id) ? `run ${r.id} (${r.number})` : `run ${r.id}`;
