import type { Handler } from "./context.js";

/**
 * One REST resource: its location (what `OPTIONS _apis/{area}` advertises, so
 * azure-devops-node-api can build URLs), its route template and its handlers per method.
 * Templates use ADO's syntax: a leading `{project}` segment is optional, as are trailing
 * `{param}` segments.
 */
export interface Route {
  /** Location GUID the client library looks up (lower case). */
  readonly id: string;
  readonly area: string;
  readonly resource: string;
  readonly template: string;
  /** Highest preview resource version ("7.2-preview.N"). */
  readonly resourceVersion: number;
  readonly methods: Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string | undefined>;
  /** Specificity: literal segments matched. */
  readonly score: number;
}

function segments(template: string): string[] {
  return template.split("/").filter((s) => s.length > 0);
}

const isParam = (s: string) => s.startsWith("{") && s.endsWith("}");
const paramName = (s: string) => s.slice(1, -1).replace(/^\*/, "");

/** Matches `path` (segments after the organization) against one template. */
export function matchTemplate(route: Route, path: readonly string[]): RouteMatch | undefined {
  let tpl = segments(route.template);
  const params: Record<string, string | undefined> = {};
  let rest = [...path];
  if (tpl[0] === "{project}") {
    tpl = tpl.slice(1);
    if (rest.length > 0 && rest[0]?.toLowerCase() !== "_apis") {
      params.project = rest[0];
      rest = rest.slice(1);
    }
  }
  let score = 0;
  for (let i = 0; i < tpl.length; i++) {
    const t = tpl[i] as string;
    const p = rest[i];
    if (isParam(t)) {
      if (t.startsWith("{*")) {
        // Wildcard: the rest of the path.
        params[paramName(t)] = rest.slice(i).join("/") || undefined;
        return { route, params, score };
      }
      if (p === undefined) {
        // Trailing parameters are optional; every remaining template segment must be a parameter.
        if (!tpl.slice(i).every(isParam)) return undefined;
        return { route, params, score };
      }
      params[paramName(t)] = p;
    } else {
      if (p === undefined || p.toLowerCase() !== t.toLowerCase()) return undefined;
      score++;
    }
  }
  if (rest.length > tpl.length) return undefined;
  return { route, params, score };
}

export function findRoute(routes: readonly Route[], path: readonly string[]): RouteMatch | undefined {
  let best: RouteMatch | undefined;
  for (const r of routes) {
    const m = matchTemplate(r, path);
    if (m && (!best || m.score > best.score)) best = m;
  }
  return best;
}
