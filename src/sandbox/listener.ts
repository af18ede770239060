import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import type { SandboxCore } from "./core.js";
import type { SandboxCaller, SandboxRequest, SandboxResponse, SandboxService } from "./types.js";
import { redactBody, redactForm } from "./redact.js";

export type Handler = (req: SandboxRequest) => Promise<SandboxResponse>;

export interface Listener {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Collapses `//`, percent-decodes each segment, keeps case (ARM compares case-insensitively). */
export function normalizePath(pathname: string): string {
  const collapsed = pathname.replace(/\/{2,}/g, "/");
  try {
    return decodeURIComponent(collapsed);
  } catch {
    return collapsed;
  }
}

/** Verified tokens per signing key: clients reuse one token for an hour, so verify it once. */
const verifiedBySigner = new WeakMap<object, Map<string, Record<string, unknown>>>();

function callerFrom(core: SandboxCore, authorization: string | undefined): SandboxCaller | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  if (!m?.[1]) return undefined;
  const token = m[1].trim();
  let verified = verifiedBySigner.get(core.signer);
  if (!verified) verifiedBySigner.set(core.signer, (verified = new Map()));
  let claims = verified.get(token);
  const exp = claims?.["exp"];
  if (!claims || (typeof exp === "number" && exp * 1000 < core.clock.now())) {
    claims = core.signer.verify(token, core.clock.now());
    if (claims) {
      if (verified.size > 256) verified.clear();
      verified.set(token, claims);
    }
  }
  if (!claims) return undefined;
  return {
    objectId: String(claims["oid"] ?? ""),
    tenantId: String(claims["tid"] ?? ""),
    audience: String(claims["aud"] ?? ""),
    appId: String(claims["appid"] ?? ""),
    name: String(claims["name"] ?? claims["appid"] ?? ""),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

const RETRY_AFTER_SECONDS = 10;

/** A request-level fault answer, or "reset" to drop the connection. */
function faultResponse(
  core: SandboxCore,
  kind: string,
  service: SandboxService,
): SandboxResponse | "reset" | undefined {
  const retryAfter = String(Math.max(0, Math.round(RETRY_AFTER_SECONDS / core.clock.speed)));
  const body = (code: string, message: string) =>
    service === "devops" ? { message, typeKey: code, errorCode: 0 } : { error: { code, message } };
  switch (kind) {
    case "429":
      return {
        status: 429,
        headers: { "Retry-After": retryAfter },
        body: body("TooManyRequests", "The request is being throttled. Retry after the time in Retry-After."),
      };
    case "429-no-retry-after":
      return { status: 429, body: body("TooManyRequests", "The request is being throttled.") };
    case "503":
      return {
        status: 503,
        headers: { "Retry-After": retryAfter },
        body: body("ServiceUnavailable", "The service is temporarily unavailable. Please try again later."),
      };
    case "reset":
      return "reset";
    default:
      return undefined;
  }
}

function headerRecord(h: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k] = k === "authorization" ? "[REDACTED]" : Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

export async function startListener(
  core: SandboxCore,
  service: SandboxService,
  handler: Handler,
  opts: { port?: number; vaultName?: string } = {},
): Promise<Listener> {
  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    // Injected network latency (benchmarks): the request "travels" before it is handled.
    if (core.latencyMs) await new Promise((done) => setTimeout(done, core.latencyMs));
    const raw = await readBody(req).catch(() => Buffer.alloc(0));
    // Concatenate rather than resolve: a path starting with "//" must not become a host.
    const url = new URL(`https://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`);
    const caller = callerFrom(core, req.headers.authorization);
    const sreq: SandboxRequest = {
      service,
      method: (req.method ?? "GET").toUpperCase(),
      url,
      path: normalizePath(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: parseJson(raw),
      rawBody: raw,
      ...(opts.vaultName ? { vaultName: opts.vaultName } : {}),
      ...(caller ? { caller } : {}),
    };
    const faultKind = service === "login" ? undefined : core.faults.requestFault();
    const injected = faultKind ? faultResponse(core, faultKind, service) : undefined;
    let response: SandboxResponse;
    if (injected === "reset") {
      log(core, sreq, raw, { status: 0 }, started, faultKind);
      req.socket.destroy();
      return;
    } else if (injected) {
      response = injected;
    } else {
      try {
        response = await handler(sreq);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        response = { status: 500, body: { error: { code: "InternalServerError", message } } };
      }
    }
    // Acknowledged changes are on disk before the answer leaves.
    await core.flush();
    const requestId = randomUUID();
    const headers: Record<string, string> = {
      "x-ms-request-id": requestId,
      "x-ms-correlation-request-id": String(req.headers["x-ms-correlation-request-id"] ?? requestId),
      "Cache-Control": "no-cache",
      ...(response.headers ?? {}),
    };
    let payload: Buffer | undefined;
    if (response.body !== undefined) {
      if (typeof response.body === "string" || Buffer.isBuffer(response.body)) {
        payload = Buffer.from(response.body as string);
        headers["Content-Type"] ??= "text/html; charset=utf-8";
      } else {
        payload = Buffer.from(JSON.stringify(response.body));
        headers["Content-Type"] ??= "application/json; charset=utf-8";
      }
    }
    headers["Content-Length"] = String(payload?.length ?? 0);
    res.writeHead(response.status, headers);
    res.end(sreq.method === "HEAD" ? undefined : payload);
    log(core, sreq, raw, { ...response, headers }, started, faultKind);
  };
  const server = createServer(
    { cert: core.tls.certPem, key: core.tls.keyPem, keepAlive: true },
    (req, res) => {
      onRequest(req, res).catch(() => res.destroy());
    },
  );
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => reject(err);
    server.once("error", fail);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", fail);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function log(
  core: SandboxCore,
  req: SandboxRequest,
  raw: Buffer,
  res: SandboxResponse,
  started: number,
  fault: string | undefined,
): void {
  const vault = req.service === "vault";
  const isForm = String(req.headers["content-type"] ?? "").includes("x-www-form-urlencoded");
  const requestBody = isForm
    ? redactForm(raw.toString("utf8"))
    : req.body !== undefined
      ? redactBody(req.body, vault)
      : raw.length
        ? `[${raw.length} bytes]`
        : undefined;
  const responseBody =
    typeof res.body === "string" ? `[${res.body.length} chars]` : redactBody(res.body, vault);
  core.traffic.append({
    time: new Date(started).toISOString(),
    service: req.service,
    method: req.method,
    url: req.url.toString(),
    status: res.status,
    durationMs: Date.now() - started,
    requestHeaders: headerRecord(req.headers),
    ...(requestBody !== undefined ? { requestBody } : {}),
    ...(res.headers ? { responseHeaders: res.headers } : {}),
    ...(responseBody !== undefined ? { responseBody } : {}),
    ...(fault ? { fault } : {}),
  });
}
