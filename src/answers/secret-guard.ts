/**
 * Heuristics that keep pasted secrets out of error messages. The answers file holds secret NAMES
 * and the environment variables that carry their values; an operator who pastes a value where a
 * name belongs must be told so without the value being printed to a terminal or CI log.
 */

/** Well-known shapes of credentials, whatever their length or entropy. */
const knownSecretShapes: readonly RegExp[] = [
  /-----BEGIN [A-Z ]+-----/,
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, // JWT
  /\b(AccountKey|SharedAccessKey|Password|Pwd|ClientSecret)=/i, // connection strings
  /^(ghp_|gho_|ghs_|github_pat_|xox[abpr]-|sk-|AKIA|AIza)/, // common token prefixes
];

function charClass(c: string): number {
  if (c >= "a" && c <= "z") return 0;
  if (c >= "A" && c <= "Z") return 1;
  if (c >= "0" && c <= "9") return 2;
  return -1;
}

/**
 * True when `value` reads like a credential rather than a name: a known credential shape, a long
 * hex string, or a long string that keeps switching between lower case, upper case and digits
 * (random tokens do, words and CamelCase names rarely do).
 */
export function looksLikeSecret(value: string): boolean {
  if (knownSecretShapes.some((re) => re.test(value))) return true;
  if (value.length < 16 || /\s/.test(value)) return false;
  if (/^[0-9a-f]{16,}$/i.test(value) && /[0-9]/.test(value) && /[a-f]/i.test(value)) return true;
  let pairs = 0;
  let switches = 0;
  const classes = new Set<number>();
  for (let i = 1; i < value.length; i++) {
    const a = charClass(value[i - 1] as string);
    const b = charClass(value[i] as string);
    if (a < 0 || b < 0) continue;
    classes.add(a).add(b);
    pairs++;
    if (a !== b) switches++;
  }
  return pairs >= 12 && classes.size >= 2 && switches / pairs >= 0.35;
}

/** Characters no name field of the answers file allows; seeing one suggests a pasted value. */
export function hasNonNameCharacters(value: string): boolean {
  return /[^A-Za-z0-9_.-]/.test(value);
}

/**
 * `value` in backticks when it is short and harmless enough to print, else a placeholder.
 * Error messages use this for anything the user typed.
 */
export function quoteIfSafe(value: string, placeholder = "(value not shown)"): string {
  if (value.length > 40 || looksLikeSecret(value) || !/^[\w.$@/:()-]+$/.test(value)) return placeholder;
  return `\`${value}\``;
}

export const secretValueMessage =
  "looks like a secret value, not a name; put the value in the environment variable named by `env`";
