import { describe, expect, test } from "vitest";
import {
  backoffMs,
  isThrottled,
  isTransientNetworkError,
  retryAfterMs,
} from "../../src/clients/devops-retry.js";

describe("throttling arithmetic", () => {
  test("Retry-After is read as seconds or as an HTTP date; absent or unreadable gives nothing", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs("0", now)).toBe(0);
    expect(retryAfterMs(["2", "9"], now)).toBe(2000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
  });

  test("backoff doubles from the Target's delay and stops at its cap", () => {
    const retry = { maxRetries: 6, retryDelayMs: 100, maxRetryDelayMs: 700 };
    expect([0, 1, 2, 3, 4].map((n) => backoffMs(retry, n))).toEqual([100, 200, 400, 700, 700]);
  });

  test("what counts as throttling and as a dropped connection", () => {
    expect([429, 503, 500, 404].map(isThrottled)).toEqual([true, true, false, false]);
    expect(isTransientNetworkError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBe(
      true,
    );
    expect(isTransientNetworkError(new Error("bad request"))).toBe(false);
  });
});
