import type { IncomingMessage } from "node:http";
import { WebApi, getBearerHandler, getPersonalAccessTokenHandler } from "azure-devops-node-api";
import type { IRequestHandler } from "azure-devops-node-api/interfaces/common/VsoBaseInterfaces.js";
import { UserError } from "../engine/errors.js";
import { createDevopsAuth, devopsAuthError, type DevopsAuth } from "./devops-auth.js";
import { DevopsHttpError, devopsRest } from "./devops-rest.js";
import { isThrottled, isTransientNetworkError, withThrottleRetry } from "./devops-retry.js";
import type { Target } from "./target.js";

export { DEVOPS_SCOPE } from "./devops-auth.js";
export { DevopsHttpError } from "./devops-rest.js";

/**
 * Azure DevOps access. `api()` is azure-devops-node-api's WebApi (Entra token or PAT, CA
 * from the Target); `rest()` calls routes the node API lacks (approval checks, pipeline
 * permissions) with the same auth, CA and throttling backoff.
 *
 * Both throw a UserError naming the failed credential on a 401 or a sign-in page. Every
 * method of the API objects `api()` hands out retries 429/503 and dropped connections (the
 * library does not) and turns other HTTP failures into DevopsHttpError; a 404 to a read still
 * resolves to null, as the library does.
 */
export interface DevopsClients {
  readonly organizationUrl: string;
  api(): Promise<WebApi>;
  /**
   * `pathAndQuery` is relative to the organization URL, e.g.
   * `myproject/_apis/pipelines/checks/configurations?api-version=7.2-preview.1`
   * (api-version defaults to 7.1 when absent), or an absolute URL (e.g. the identity service's
   * host). Resolves for 2xx and 404; throws otherwise.
   */
  rest<T = unknown>(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    pathAndQuery: string,
    body?: unknown,
  ): Promise<{ readonly status: number; readonly body: T }>;
}

/** A handler whose token can be swapped when the Entra token is refreshed (both library handlers keep it in `token`). */
type TokenHandler = IRequestHandler & { token: string };

interface LibraryHttpError {
  statusCode?: number;
  message?: string;
  result?: { message?: string; typeKey?: string } | null;
  responseHeaders?: Record<string, string | string[] | undefined>;
}

export function createDevopsClients(target: Target): DevopsClients {
  const auth = createDevopsAuth(target);
  const organizationUrl = target.devopsOrganizationUrl.replace(/\/+$/, "");
  const rest = <T>(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    pathAndQuery: string,
    body?: unknown,
  ) => devopsRest<T>(target, auth, method, pathAndQuery, body);

  let handler: TokenHandler | undefined;
  let web: WebApi | undefined;
  let verified: Promise<void> | undefined;

  return {
    organizationUrl,
    rest,
    async api() {
      const token = await auth.token();
      if (!handler || !web) {
        handler = (
          auth.kind === "pat" ? getPersonalAccessTokenHandler(token) : getBearerHandler(token)
        ) as TokenHandler;
        const raw = new WebApi(organizationUrl, handler, {
          ...(target.caFile ? { cert: { caFile: target.caFile } } : {}),
          // Our wrapper retries throttling; the library's own retries would multiply it.
          allowRetries: false,
        });
        web = wrapWebApi(raw, target, auth);
      }
      // Refreshed Entra tokens go into the same handler every API object already holds.
      handler.token = token;
      // One cheap authenticated call up front turns a bad credential into a clear error before
      // any step reads a 203 sign-in page as "not found".
      verified ??= rest("GET", "_apis/connectionData?api-version=7.1-preview.1").then(
        () => undefined,
        (err: unknown) => {
          verified = undefined;
          throw err;
        },
      );
      await verified;
      return web;
    },
  };
}

/** Converts a library error into ours: auth failures become UserError, the rest DevopsHttpError. */
function translate(err: unknown, auth: DevopsAuth, organizationUrl: string, method: string): unknown {
  if (err instanceof UserError || err instanceof DevopsHttpError) return err;
  const e = err as LibraryHttpError;
  if (typeof e?.statusCode !== "number") return err;
  if (e.statusCode === 401) return devopsAuthError(auth.kind, "refused", method, organizationUrl);
  const message = e.result?.message ?? e.message ?? `HTTP ${e.statusCode}`;
  return new DevopsHttpError(
    e.statusCode,
    `${method} answered ${e.statusCode}: ${message}`,
    e.result?.typeKey ?? undefined,
  );
}

function call<T>(target: Target, auth: DevopsAuth, method: string, run: () => Promise<T>): Promise<T> {
  return withThrottleRetry(target.retry, run, (o) => {
    if (o.ok) return undefined;
    if (isTransientNetworkError(o.error)) return { status: 0 };
    const e = o.error as LibraryHttpError;
    return isThrottled(e?.statusCode)
      ? { status: e.statusCode as number, retryAfter: e.responseHeaders?.["retry-after"] }
      : undefined;
  }).catch((err: unknown) => {
    throw translate(err, auth, target.devopsOrganizationUrl, method);
  });
}

/**
 * Two holes in the library's response handling, closed on every response it receives:
 * - a 203 sign-in page reads as an empty (null) result, indistinguishable from "not found";
 * - a 404 to a write (POST/PUT/PATCH) also reads as null, losing the service's reason
 *   (e.g. "policy type does not exist"), so it becomes a DevopsHttpError with that message.
 */
function guardResponses(clientApi: object, auth: DevopsAuth, organizationUrl: string): void {
  type Response = { message?: IncomingMessage; readBody?: () => Promise<string> };
  type Requester = { request: (...args: unknown[]) => Promise<Response> };
  const api = clientApi as { http?: Requester; rest?: { client?: Requester } };
  for (const client of [api.http, api.rest?.client]) {
    if (!client || typeof client.request !== "function") continue;
    const original = client.request.bind(client);
    client.request = async (...args: unknown[]) => {
      const res = await original(...args);
      const message = res?.message;
      const verb = String(args[0]).toUpperCase();
      const request = `${verb} ${new URL(String(args[1])).pathname}`;
      if (message?.statusCode === 203 && /html/i.test(String(message.headers["content-type"] ?? ""))) {
        message.resume(); // discard the page, free the socket
        throw devopsAuthError(auth.kind, "sign-in-page", request, organizationUrl);
      }
      if (message?.statusCode === 404 && ["POST", "PUT", "PATCH"].includes(verb) && res.readBody) {
        const text = await res.readBody();
        let parsed: { message?: string; typeKey?: string } = {};
        try {
          parsed = JSON.parse(text) as typeof parsed;
        } catch {
          // not JSON: keep the status alone
        }
        throw new DevopsHttpError(
          404,
          `${request} answered 404${parsed.message ? `: ${parsed.message}` : ""}`,
          parsed.typeKey,
        );
      }
      return res;
    };
  }
}

function wrapClientApi<T extends object>(clientApi: T, target: Target, auth: DevopsAuth, area: string): T {
  guardResponses(clientApi, auth, target.devopsOrganizationUrl);
  return new Proxy(clientApi, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function" || typeof prop !== "string" || prop === "constructor") return value;
      return (...args: unknown[]) =>
        call(target, auth, `${area}.${prop}`, () =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args),
        );
    },
  });
}

/**
 * Every `get...Api()` hands out an API object whose methods back off on throttling. Objects
 * asked for without arguments are made once: each keeps its own cache of route locations, so
 * a fresh one per call would repeat the OPTIONS discovery request every time.
 */
function wrapWebApi(web: WebApi, target: Target, auth: DevopsAuth): WebApi {
  const made = new Map<string, Promise<object>>();
  return new Proxy(web, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function" || typeof prop !== "string") return value;
      const fn = value as (...a: unknown[]) => Promise<unknown>;
      if (/^get\w+Api$/.test(prop)) {
        const area = prop.slice(3, -3);
        const make = async (args: unknown[]) => {
          const clientApi = (await call(target, auth, area, () => fn.apply(obj, args))) as object;
          return wrapClientApi(clientApi, target, auth, area);
        };
        return (...args: unknown[]) => {
          if (args.length > 0) return make(args);
          let p = made.get(prop);
          if (!p) {
            p = make([]);
            made.set(prop, p);
            p.catch(() => made.delete(prop)); // a failed discovery is retried on the next call
          }
          return p;
        };
      }
      if (prop === "connect") return () => call(target, auth, "connect", () => fn.apply(obj, []));
      return value;
    },
  });
}
