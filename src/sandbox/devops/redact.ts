import type { DevopsState } from "./state.js";

/**
 * State as shown to people (`sandbox state`): blob contents are summarised. Secrets are never
 * in the state to begin with (secret parameters and secret variables are dropped on the way in).
 */
export function redactDevopsState(state: DevopsState): unknown {
  return {
    ...state,
    repositories: Object.fromEntries(
      Object.entries(state.repositories).map(([id, r]) => [
        id,
        {
          ...r,
          blobs: Object.fromEntries(
            Object.entries(r.blobs).map(([b, c]) => [b, `<${Buffer.from(c, "base64").length} bytes>`]),
          ),
        },
      ]),
    ),
  };
}

/** Authorization parameters that hold secrets, across the service endpoint schemes emulated. */
const SECRET_PARAMETERS =
  /^(password|serviceprincipalkey|serviceprincipalcertificate|kubeconfig|apitoken|serviceaccountcertificate|clientsecret|accesstoken)$/i;

/**
 * Redacts Azure DevOps request/response bodies for the traffic log: the `value` of any
 * variable marked `isSecret: true` (variable groups, build definitions) and secret
 * authorization parameters of service endpoints. The core's generic redaction cannot know
 * that a field named `value` is secret only next to `isSecret: true`.
 */
export function redactDevopsBody(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactDevopsBody);
  if (!body || typeof body !== "object") return body;
  const o = body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === "value" && o.isSecret === true && typeof v === "string") out[k] = "[REDACTED]";
    else if (SECRET_PARAMETERS.test(k) && typeof v === "string") out[k] = "[REDACTED]";
    else out[k] = redactDevopsBody(v);
  }
  return out;
}
