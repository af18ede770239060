import { describeIssue } from "./issues.js";
import type { FieldPath } from "./load.js";
import { schemaAt } from "./schema-shape.js";
import { looksLikeSecret, secretValueMessage } from "./secret-guard.js";

/**
 * Checks one answer by the answers file's own rules, for prompts (each wizard answer passes the
 * same validation as the file would). Returns the problem as a "must ..." sentence, or undefined
 * when the value is fine. Field paths are dotted ("azure.location") or arrays
 * (["keyVault", "secrets", 0, "name"]).
 */
export function answerFieldError(field: string | FieldPath, value: unknown): string | undefined {
  const path: FieldPath =
    typeof field === "string"
      ? field
          .split(/\.|\[(\d+)\]/)
          .filter((seg) => seg !== undefined && seg !== "")
          .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg))
      : field;
  const schema = schemaAt(path);
  if (!schema) return "is not an answer aks-bootstrap knows";
  const isSecretName = path.length === 4 && path[0] === "keyVault" && path[3] === "name";
  if (
    isSecretName &&
    typeof value === "string" &&
    (looksLikeSecret(value) || /[^A-Za-z0-9_.-]/.test(value))
  ) {
    return secretValueMessage;
  }
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return issue ? describeIssue(issue, value) : "is not valid";
}
