import { appendFileSync } from "node:fs";

/** One JSON line per request/response pair, already redacted by the caller. */
export interface TrafficEntry {
  time: string;
  service: string;
  method: string;
  url: string;
  status: number;
  durationMs: number;
  requestHeaders?: Record<string, string>;
  requestBody?: unknown;
  responseHeaders?: Record<string, string>;
  responseBody?: unknown;
  fault?: string;
}

/**
 * Appends synchronously: a line is on disk before the response leaves, so a killed sandbox's
 * log ends at a complete line and tests can read it right after a call returns.
 */
export function createTrafficLog(path: string, scrub: (line: string) => string) {
  return {
    path,
    append(entry: TrafficEntry): void {
      appendFileSync(path, scrub(JSON.stringify(entry)) + "\n");
    },
  };
}
export type TrafficLog = ReturnType<typeof createTrafficLog>;
