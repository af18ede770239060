import * as http from "node:http";
import * as https from "node:https";
import type { DevopsAuth } from "./devops-auth.js";
import { devopsAuthError } from "./devops-auth.js";
import { isThrottled, isTransientNetworkError, withThrottleRetry } from "./devops-retry.js";
import type { Target } from "./target.js";

/** Longest wait for an answer to one request. */
const REQUEST_TIMEOUT_MS = 120_000;

/** api-version used when the caller's path does not name one. */
export const DEFAULT_API_VERSION = "7.1";

/**
 * An Azure DevOps error answer other than 404 (which callers receive as a status) and auth
 * failures (UserError). `typeKey` is the service's exception key, e.g. `DuplicateNameException`.
 */
export class DevopsHttpError extends Error {
  override readonly name = "DevopsHttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly typeKey?: string,
  ) {
    super(message);
  }
}

interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
  caPem: string | undefined,
): Promise<RawResponse> {
  const mod = url.protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      { method, headers, ...(caPem && url.protocol === "https:" ? { ca: caPem } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    // A silent server must not hang the run: give up, and let the retry decide.
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(Object.assign(new Error("request timed out"), { code: "ETIMEDOUT" })),
    );
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function isHtml(headers: http.IncomingHttpHeaders, text: string): boolean {
  return /html/i.test(String(headers["content-type"] ?? "")) || /^\s*<(!doctype|html)/i.test(text);
}

/**
 * Builds the full URL: organization URL + path (or an absolute URL as-is, for the identity
 * service's own host); adds api-version when the caller did not.
 */
export function devopsUrl(organizationUrl: string, pathAndQuery: string): URL {
  const base = organizationUrl.replace(/\/+$/, "");
  const url = /^https?:\/\//i.test(pathAndQuery)
    ? new URL(pathAndQuery)
    : new URL(`${base}/${pathAndQuery.replace(/^\/+/, "")}`);
  if (!url.searchParams.has("api-version")) url.searchParams.set("api-version", DEFAULT_API_VERSION);
  return url;
}

/**
 * Calls one Azure DevOps REST route with JSON in and out. Returns 2xx and 404 answers; throws a
 * UserError for 401 or a sign-in page, DevopsHttpError for other failures; retries 429/503
 * (Retry-After, else the Target's exponential backoff).
 */
export async function devopsRest<T>(
  target: Target,
  auth: DevopsAuth,
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  pathAndQuery: string,
  body?: unknown,
): Promise<{ readonly status: number; readonly body: T }> {
  const url = devopsUrl(target.devopsOrganizationUrl, pathAndQuery);
  const request = `${method} ${url.pathname}`;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const res = await withThrottleRetry(
    target.retry,
    async () => {
      const headers: Record<string, string> = {
        accept: "application/json",
        authorization: await auth.header(),
        // Ask for a 401 rather than a redirect to an interactive sign-in page.
        "x-tfs-fedauthredirect": "Suppress",
        "user-agent": "aks-bootstrap",
      };
      if (payload !== undefined) {
        headers["content-type"] = "application/json";
        headers["content-length"] = String(Buffer.byteLength(payload));
      }
      return send(url, method, headers, payload, target.caPem);
    },
    (o) => {
      if (!o.ok) return isTransientNetworkError(o.error) ? { status: 0 } : undefined;
      return isThrottled(o.value.status)
        ? { status: o.value.status, retryAfter: o.value.headers["retry-after"] }
        : undefined;
    },
  );
  if (res.status === 401) throw devopsAuthError(auth.kind, "refused", request, target.devopsOrganizationUrl);
  const signInPage =
    ((res.status === 203 || (res.status >= 200 && res.status < 300)) && isHtml(res.headers, res.text)) ||
    ((res.status === 302 || res.status === 303) &&
      /login|signin|_signin/i.test(String(res.headers.location ?? "")));
  if (signInPage) throw devopsAuthError(auth.kind, "sign-in-page", request, target.devopsOrganizationUrl);
  let parsed: unknown = undefined;
  if (res.text.length > 0) {
    try {
      parsed = JSON.parse(res.text);
    } catch {
      parsed = res.text;
    }
  }
  if ((res.status >= 200 && res.status < 300) || res.status === 404)
    return { status: res.status, body: parsed as T };
  const obj = (parsed && typeof parsed === "object" ? parsed : {}) as { message?: string; typeKey?: string };
  throw new DevopsHttpError(
    res.status,
    `${request} answered ${res.status}${obj.message ? `: ${obj.message}` : ""}`,
    obj.typeKey,
  );
}
