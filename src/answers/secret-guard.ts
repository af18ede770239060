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

/**
 * Share of a string's letters and digits that sit in word-like runs: three or more letters
 * ("Cosmos", "password") or two or more digits ("2025"). Names are made of words and
 * abbreviations; random tokens break into one- and two-character runs.
 */
function wordiness(value: string): number {
  const runs = value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g) ?? [];
  const total = runs.reduce((n, r) => n + r.length, 0);
  const wordy = runs
    .filter((r) => /^[A-Za-z]{3,}$/.test(r) || /^[0-9]{2,}$/.test(r))
    .reduce((n, r) => n + r.length, 0);
  return total === 0 ? 1 : wordy / total;
}

/**
 * True when `value` reads like a credential rather than a name: a known credential shape, a long
 * hex string, or a long string of letters and digits that does not break into words. A heuristic:
 * it catches about 99% of random 16-40 character alphanumeric tokens and lets through the names
 * people give secrets (integration-db-password, CosmosDbPrimaryKey).
 */
export function looksLikeSecret(value: string): boolean {
  if (knownSecretShapes.some((re) => re.test(value))) return true;
  if (value.length < 16 || /\s/.test(value)) return false;
  if (/^[0-9a-f]{16,}$/i.test(value) && /[0-9]/.test(value) && /[a-f]/i.test(value)) return true;
  const alnum = value.replace(/[^A-Za-z0-9]/g, "");
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(alnum)).length;
  return alnum.length >= 12 && classes >= 2 && wordiness(value) < 0.8;
}

/**
 * `value` in backticks when it is short and reads like a name, else a placeholder. Error messages
 * use this for anything the user typed (unknown keys, pinned names). Stricter than
 * looksLikeSecret: printing a harmless value is a nicety, printing a secret is a leak.
 */
export function quoteIfSafe(value: string, placeholder = "(value not shown)"): string {
  const unsafe =
    value.length >= 24 ||
    !/^[\w.()-]+$/.test(value) ||
    looksLikeSecret(value) ||
    (value.length >= 12 && wordiness(value) < 0.85);
  return unsafe ? placeholder : `\`${value}\``;
}

export const secretValueMessage =
  "looks like a secret value, not a name; put the value in the environment variable named by `env`";
