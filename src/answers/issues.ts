import type { z } from "zod";

/**
 * Zod issues rephrased for people: "must be ..." sentences that never quote the input (it may be
 * a pasted secret). Used for the answers file and for single wizard answers alike.
 */

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  if (isPlain(v)) return "mapping";
  return typeof v;
}

/** The usual YAML slip behind a type mismatch, and its fix. */
function typeHint(expected: string, value: unknown): string {
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
    return ` (put it in quotes; YAML read it as a ${typeof value})`;
  }
  if (expected === "boolean" && typeof value === "string") return " (write true or false, without quotes)";
  if ((expected === "number" || expected === "int") && typeof value === "string") {
    return " (write the number without quotes)";
  }
  return "";
}

/** Rephrases a zod issue as "must ..." without quoting the input. */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type": {
      const expected =
        issue.expected === "object" ? "mapping" : issue.expected === "array" ? "list" : issue.expected;
      // `devops:` with nothing under it reads as null in YAML.
      if (value === null) return `is empty; it must be ${article(expected)}`;
      return `must be ${article(expected)}, not ${article(typeName(value))}${typeHint(issue.expected, value)}`;
    }
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}`;
    case "too_small":
      if (issue.origin === "string") return `must be at least ${issue.minimum} characters long`;
      if (issue.origin === "array") return `must have at least ${issue.minimum} items`;
      return `must be at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters long`;
      if (issue.origin === "array") return `must have at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}
