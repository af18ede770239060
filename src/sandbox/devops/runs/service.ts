import type { DevopsServiceOptions } from "../options.js";
import type { DevopsState } from "../state.js";
import type { RunContext } from "./run-context.js";
import { onRunCompleted } from "./triggers.js";

/** The run context of the service at this moment. */
export function runContext(state: DevopsState, opts: DevopsServiceOptions): RunContext {
  return {
    state,
    now: opts.now(),
    speed: opts.speed,
    world: opts.world,
    rollFault: (kind) => opts.rollFault?.(kind) ?? false,
    onCompleted: onRunCompleted,
  };
}
