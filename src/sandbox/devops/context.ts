import type { SandboxRequest, SandboxResponse } from "../types.js";
import type { DevopsServiceOptions } from "./options.js";
import type { ApiVersion } from "./versions.js";
import type { DevopsState, IdentityRef, ProjectRecord } from "./state.js";

/** Everything a route handler needs for one request. */
export interface Ctx {
  readonly req: SandboxRequest;
  readonly state: DevopsState;
  readonly opts: DevopsServiceOptions;
  readonly identity: IdentityRef;
  /** Route values matched from the template (decoded). */
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The project named by the `{project}` route segment, when the route has one. */
  readonly project: ProjectRecord | undefined;
  readonly version: ApiVersion | undefined;
  /** https://host:port/{organization} */
  readonly orgUrl: string;
  nowIso(): string;
  /** Record that state changed; the service persists once the handler returns. */
  changed(): void;
}

export type Handler = (ctx: Ctx) => SandboxResponse | Promise<SandboxResponse>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body };
}

export function ok(body: unknown): SandboxResponse {
  return json(200, body);
}

/** ADO's collection envelope. */
export function list(values: readonly unknown[]): SandboxResponse {
  return json(200, { count: values.length, value: values });
}

export function noContent(): SandboxResponse {
  return { status: 204 };
}

/** Body as a plain object, or undefined. */
export function bodyObject(ctx: Ctx): Record<string, unknown> | undefined {
  const b = ctx.req.body;
  return b && typeof b === "object" && !Array.isArray(b) ? (b as Record<string, unknown>) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Case-insensitive query parameter lookup (ADO treats query names case-insensitively). */
export function query(ctx: Ctx, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of ctx.req.query) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function identityJson(ctx: Ctx, who: IdentityRef): Record<string, unknown> {
  return {
    displayName: who.displayName,
    url: `${ctx.opts.baseUrl}/${ctx.state.organization}/_apis/Identities/${who.id}`,
    id: who.id,
    uniqueName: who.uniqueName,
    imageUrl: `${ctx.orgUrl}/_api/_common/identityImage?id=${who.id}`,
    descriptor: `aad.${Buffer.from(who.id).toString("base64url")}`,
  };
}
