import { AbortedError } from "./errors.js";

/**
 * Waits `ms`; rejects with AbortedError as soon as `signal` aborts (or at once if it already
 * has). The one abortable wait shared by polling steps and retry policies.
 */
/** The part of an AbortSignal sleep needs (the SDK's AbortSignalLike fits too). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export function sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
