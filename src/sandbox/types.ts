import type { IncomingHttpHeaders } from "node:http";

/**
 * Contract between the sandbox's HTTP core (servers, TLS, auth, faults, traffic log, state
 * persistence) and its emulated services (ARM, Key Vault, Azure DevOps, Entra).
 */

/** Which listener received the request. */
export type SandboxService = "login" | "arm" | "devops" | "vault";

export interface SandboxRequest {
  readonly service: SandboxService;
  readonly method: string;
  /** Full request URL. */
  readonly url: URL;
  /** Path with double slashes collapsed, percent-decoded, original case. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when empty / not JSON. */
  readonly body: unknown;
  readonly rawBody: Buffer;
  /** For service "vault": the vault name this listener serves. */
  readonly vaultName?: string;
  /** Claims of the verified bearer token (oid, tid, aud, appid, upn), when one was sent. */
  readonly caller?: SandboxCaller;
}

export interface SandboxCaller {
  readonly objectId: string;
  readonly tenantId: string;
  readonly audience: string;
  readonly appId: string;
  readonly name: string;
}

export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Objects are sent as JSON; strings as-is (e.g. HTML sign-in page). */
  readonly body?: unknown;
}
