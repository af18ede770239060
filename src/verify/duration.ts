import { quoteIfSafe } from "../answers/secret-guard.js";
import { UserError } from "../engine/errors.js";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a duration as people write it: `90s`, `10m`, `1h30m`, `2h`; a bare number is minutes
 * (`--timeout 60`). Refuses anything else naming the option, so a typo never means "forever".
 */
export function parseDuration(text: string, option = "--timeout"): number {
  const value = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * UNIT_MS.m!);
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const whole = parts.map((p) => p[0]).join("");
  if (parts.length === 0 || whole !== value) {
    throw new UserError(
      `Option ${option} must be a duration like 90s, 10m or 1h30m, got ${quoteIfSafe(text)}`,
      `For example ${option}=30m.`,
    );
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
  if (ms <= 0) throw new UserError(`Option ${option} must be longer than 0, got ${quoteIfSafe(text)}`);
  return Math.round(ms);
}

/** `90s`, `10m`, `1h30m`: how a timeout is said back to the person who set it. */
export function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const parts = [
    m >= 60 ? `${Math.floor(m / 60)}h` : "",
    m % 60 ? `${m % 60}m` : "",
    s % 60 ? `${s % 60}s` : "",
  ];
  return parts.join("") || "0s";
}
