/**
 * Last line of defence for "secrets never appear in output": every secret value the process
 * learns (Key Vault secret values, tokens, PATs) is registered here, and every line written
 * to the terminal, a log or an error message passes through redact().
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; they are not secrets worth the name.
  if (value && value.length >= 6) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join("***");
  return out;
}

/** Recursively redacts strings in a JSON-able value. */
export function redactValue<T>(value: T): T {
  if (secrets.size === 0) return value;
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
