import { sleep } from "../../src/engine/sleep.js";
import type { StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { errorCode, isNotFound } from "./common.js";

/**
 * Azure is eventually consistent: an identity just created is not yet known to the
 * authorization service (PrincipalNotFound), a resource just created may still answer 404.
 * Such errors are retried with exponential backoff until the Target's propagation deadline,
 * saying so on the step's progress line.
 */
export interface PropagationRetry {
  /** True when the error means "not there yet" rather than "wrong". */
  readonly retryable: (err: unknown) => boolean;
  /** What the progress line says while waiting, e.g. "waiting for identity to propagate". */
  readonly waitingFor: string;
}

export const principalNotYetKnown: PropagationRetry = {
  retryable: (err) => errorCode(err) === "PrincipalNotFound",
  waitingFor: "waiting for identity to propagate",
};

export const notYetVisible: PropagationRetry = {
  retryable: isNotFound,
  waitingFor: "waiting for the new resource to become visible",
};

export async function retryPropagation<T>(
  deps: StepDeps,
  ctx: StepContext,
  rules: readonly PropagationRetry[],
  attemptOnce: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + deps.target.propagationDeadlineMs;
  const base = Math.max(10, Math.min(deps.target.retry.retryDelayMs, 1000));
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce();
    } catch (err) {
      const rule = rules.find((r) => r.retryable(err));
      if (!rule || Date.now() >= deadline || ctx.signal.aborted) throw err;
      ctx.progress(`${rule.waitingFor} (attempt ${attempt + 1})`);
      const delay = Math.min(base * 2 ** (attempt - 1), 10_000, Math.max(0, deadline - Date.now()));
      await sleep(delay, ctx.signal);
    }
  }
}

/** The resource group (or parent) was just created and is not visible to this write yet. */
export const parentNotYetVisible: PropagationRetry = {
  retryable: (err) =>
    isNotFound(err) && ["ResourceGroupNotFound", "ParentResourceNotFound"].includes(errorCode(err) ?? ""),
  waitingFor: "waiting for the resource group to become visible",
};

/** A previous (perhaps interrupted) run's operation on the resource is still going. */
export const operationInProgress: PropagationRetry = {
  retryable: (err) => ["OperationNotAllowed", "AnotherOperationInProgress"].includes(errorCode(err) ?? ""),
  waitingFor: "waiting for the operation already running on it",
};

/**
 * Runs a create/update (PUT, maybe long-running) and survives eventual consistency on both
 * sides: a parent not yet visible (the write is retried) and the written resource not yet
 * visible to the final GET of a long-running operation (only the read is retried, the write
 * went through).
 */
export async function writeThenRead<T>(
  deps: StepDeps,
  ctx: StepContext,
  write: () => Promise<T>,
  read: () => Promise<T>,
): Promise<T> {
  return retryPropagation(deps, ctx, [parentNotYetVisible, operationInProgress], async () => {
    try {
      return await write();
    } catch (err) {
      if (!isNotFound(err) || parentNotYetVisible.retryable(err)) throw err;
      return retryPropagation(deps, ctx, [notYetVisible], read);
    }
  });
}

export { sleep };
