import { AbortedError, UserError } from "../engine/errors.js";
import { redact } from "../engine/redact.js";

/**
 * The one place errors become text. User-fixable errors: message and what to try, never a
 * stack. Anything else is a bug: say so, and show the stack only with --debug.
 */
export function renderError(err: unknown, debug: boolean): string {
  if (err instanceof UserError) {
    const lines = [`error: ${err.message}`];
    if (err.hint) lines.push(`  try: ${err.hint}`);
    return redact(lines.join("\n")) + "\n";
  }
  if (err instanceof AbortedError) return "Interrupted.\n";
  const message = err instanceof Error ? err.message : String(err);
  const lines = [`error: unexpected: ${message}`];
  if (debug && err instanceof Error && err.stack) lines.push(err.stack);
  else lines.push("  This is a bug in aks-bootstrap. Rerun with --debug for details and report it.");
  return redact(lines.join("\n")) + "\n";
}
