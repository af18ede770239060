import type { BuildRecord, DevopsState } from "../state.js";
import { advanceRuns } from "./engine.js";
import { queueRun, type QueueRequest } from "./queue.js";
import type { RunWorld } from "./world.js";

/** What queueing and advancing runs needs from the service: state, clock, world, faults. */
export interface RunContext {
  readonly state: DevopsState;
  readonly now: number;
  readonly speed: number;
  readonly world: RunWorld | undefined;
  /** Whether an injected fault of this kind happens now (sandbox fault plan). */
  rollFault(kind: string): boolean;
  /** Called when a run completes (resource triggers). Set by triggers.ts. */
  onCompleted?(ctx: RunContext, b: BuildRecord): void;
}

/** Faults decided once per run, when it is queued. */
const RUN_FAULTS = ["unit-test-fail"];

export function queue(
  ctx: RunContext,
  req: Omit<QueueRequest, "faults" | "queueTime"> & { queueTime?: string },
): BuildRecord {
  const faults = req.reason === "resourceTrigger" ? [] : RUN_FAULTS.filter((f) => ctx.rollFault(f));
  return queueRun(ctx.state, { ...req, queueTime: req.queueTime ?? new Date(ctx.now).toISOString(), faults });
}

export function advance(ctx: RunContext): boolean {
  return advanceRuns({
    state: ctx.state,
    now: ctx.now,
    speed: ctx.speed,
    world: ctx.world,
    onCompleted: (b) => ctx.onCompleted?.(ctx, b),
  });
}
