/**
 * Redaction for everything the sandbox writes or returns for inspection: the traffic log and
 * state(). Two layers: fields whose names mean "secret", and any string equal to a known secret
 * value wherever it appears (a secret pasted into an unexpected field is still caught).
 */
const SECRET_KEY =
  /^(value|secret|clientsecret|client_secret|password|access_token|refresh_token|id_token|client_assertion|serviceprincipalkey|accesstoken|apitoken|token|pat)$/i;

export const REDACTED = "[REDACTED]";

/** `valueIsSecret`: whether a field named `value` holds a secret (Key Vault secret bodies). */
export function redactBody(body: unknown, valueIsSecret: boolean): unknown {
  if (Array.isArray(body)) return body.map((b) => redactBody(b, valueIsSecret));
  if (body && typeof body === "object") {
    const out: Record<string, unknown> = {};
    // Azure DevOps secret variables: { value, isSecret: true }.
    const flagged = (body as Record<string, unknown>)["isSecret"] === true;
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const lower = k.toLowerCase();
      const secretKey =
        lower === "value" ? (valueIsSecret || flagged) && typeof v === "string" : SECRET_KEY.test(k);
      out[k] =
        secretKey && v !== null && v !== undefined && typeof v !== "object"
          ? REDACTED
          : redactBody(v, valueIsSecret);
    }
    return out;
  }
  return body;
}

/** Replaces every occurrence of each known secret (length >= 6) in a serialized text. */
export function scrubKnownSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 6) continue;
    const json = JSON.stringify(s).slice(1, -1);
    out = out.split(s).join(REDACTED);
    if (json !== s) out = out.split(json).join(REDACTED);
  }
  return out;
}

/** Form-encoded token requests: keep the field names, drop secret values. */
export function redactForm(raw: string): string {
  const params = new URLSearchParams(raw);
  for (const k of [...params.keys()]) if (SECRET_KEY.test(k)) params.set(k, REDACTED);
  return params.toString();
}
