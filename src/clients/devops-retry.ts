import { sleep } from "../engine/sleep.js";
import type { Target } from "./target.js";

/** Azure DevOps throttles with 429 (and sheds load with 503); both mean "not processed, try later". */
export function isThrottled(status: number | undefined): boolean {
  return status === 429 || status === 503;
}

const NETWORK_ERRORS = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ECONNABORTED",
]);

/**
 * A connection dropped or refused before an answer arrived. Retried for every verb: a reset can
 * hide a write the service did process, but then the retried create fails on the duplicate name
 * and the next run adopts the object, which beats failing the run on a transient drop.
 */
export function isTransientNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && NETWORK_ERRORS.has(code);
}

/** Milliseconds from a Retry-After header (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff bounded by the Target: retryDelayMs * 2^attempt, at most maxRetryDelayMs. */
export function backoffMs(retry: Target["retry"], attempt: number): number {
  return Math.min(retry.retryDelayMs * 2 ** attempt, retry.maxRetryDelayMs);
}

/** What a throttled attempt reports: its status and the Retry-After it carried. */
export interface ThrottleInfo {
  readonly status: number;
  readonly retryAfter?: string | string[] | undefined;
}

/**
 * Runs `attempt` until it is not throttled or the Target's retries are spent. `throttled`
 * inspects a result or an error and says whether (and with which Retry-After) to retry.
 */
export async function withThrottleRetry<T>(
  retry: Target["retry"],
  attempt: () => Promise<T>,
  throttled: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => ThrottleInfo | undefined,
): Promise<T> {
  for (let n = 0; ; n++) {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await attempt() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const info = throttled(outcome);
    if (!info || n >= retry.maxRetries) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    await sleep(retryAfterMs(info.retryAfter) ?? backoffMs(retry, n));
  }
}
