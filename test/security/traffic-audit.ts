import { readFileSync } from "node:fs";

/**
 * The sandbox scrubs every known secret from traffic.jsonl (it writes "[REDACTED]" in its place,
 * and for fields named like secrets). So a leak shows up as a redaction somewhere a secret has
 * no business being. Allowed places: Authorization headers, the Entra token endpoint (client
 * secret in, tokens out) and Key Vault secret values on the vault's data plane.
 */
export interface Redaction {
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly field: string;
}

export interface TrafficLine {
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

export function readTraffic(path: string): (TrafficLine & Record<string, unknown>)[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TrafficLine & Record<string, unknown>);
}

function allowed(r: Redaction): boolean {
  if (r.field === "requestHeaders.authorization") return true;
  if (r.service === "login") return true;
  if (r.service === "vault" && /^(requestBody|responseBody)\.value$/.test(r.field)) return true;
  return false;
}

/** Redactions found outside the allowed places. */
export function unexpectedRedactions(lines: readonly (TrafficLine & Record<string, unknown>)[]): Redaction[] {
  const out: Redaction[] = [];
  for (const line of lines) {
    const path = new URL(line.url).pathname;
    const walk = (v: unknown, field: string) => {
      if (typeof v === "string") {
        if (v.includes("[REDACTED]") || v.includes("%5BREDACTED%5D")) {
          const r = { service: line.service, method: line.method, path, field };
          if (!allowed(r)) out.push(r);
        }
      } else if (Array.isArray(v)) v.forEach((x) => walk(x, `${field}[]`));
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) walk(x, field ? `${field}.${k}` : k);
    };
    walk(line, "");
  }
  return out;
}
