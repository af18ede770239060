import type { SandboxRequest, SandboxResponse } from "../types.js";
import { authenticate, signInPageResponse, unauthorizedResponse } from "./auth.js";
import type { Ctx } from "./context.js";
import { list } from "./context.js";
import { advanceOperations, findProject } from "./core.js";
import { DevopsError, errors } from "./errors.js";
import { rememberMember } from "./identities.js";
import { areaLocations } from "./locations.js";
import type { DevopsServiceOptions } from "./options.js";
import { matchTemplate, type RouteMatch } from "./router.js";
import { ALL_ROUTES } from "./routes.js";
import type { DevopsState, IdentityRef } from "./state.js";
import { negotiateVersion } from "./versions.js";
import { advance } from "./runs/run-context.js";
import { runContext } from "./runs/service.js";

export type { DevopsServiceOptions } from "./options.js";
export type { DevopsState } from "./state.js";
export { emptyDevopsState } from "./state.js";
export { redactDevopsBody, redactDevopsState } from "./redact.js";

const ANONYMOUS: IdentityRef = {
  id: "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
  displayName: "Anonymous",
  uniqueName: "anonymous",
};
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * The emulated Azure DevOps organization, mounted by the sandbox core under /{organization}.
 * Authenticates as the service does, negotiates api-version, routes to the resource handlers,
 * and persists state after every change.
 */
export function createDevopsService(opts: DevopsServiceOptions): {
  handle(req: SandboxRequest): Promise<SandboxResponse>;
} {
  const orgUrl = `${opts.baseUrl.replace(/\/$/, "")}/${opts.organization}`;

  async function handle(req: SandboxRequest): Promise<SandboxResponse> {
    const segs = req.path.split("/").filter((s) => s.length > 0);
    if (segs[0]?.toLowerCase() !== opts.organization.toLowerCase()) {
      return errors.routeNotFound(req.path).toResponse();
    }
    const path = segs.slice(1);
    const auth = authenticate(req, opts.pat, opts.tenantId);
    if (auth.kind === "denied") return unauthorizedResponse(opts.tenantId ?? req.caller?.tenantId);
    // Location discovery answers anonymously; everything else needs credentials.
    if (auth.kind === "anonymous" && req.method !== "OPTIONS") return signInPageResponse(orgUrl);
    const known = auth.kind === "ok" ? opts.principalName?.(auth.identity.id) : undefined;
    const identity =
      auth.kind === "ok" ? (known ? { ...auth.identity, displayName: known } : auth.identity) : ANONYMOUS;

    const state = opts.state;
    let dirty = advanceOperations(state, opts.now());
    if (advance(runContext(state, opts))) dirty = true;
    if (auth.kind === "ok" && rememberMember(state, identity)) dirty = true;
    try {
      if (req.method === "OPTIONS") {
        if (path.length <= 2 && path[0]?.toLowerCase() === "_apis") return areaLocations(ALL_ROUTES, path[1]);
        return list([]);
      }
      const method = req.method.toUpperCase() as Method;
      const matches = ALL_ROUTES.map((r) => matchTemplate(r, path)).filter(
        (m): m is RouteMatch => m !== undefined,
      );
      if (matches.length === 0) throw errors.routeNotFound(req.path);
      const withMethod = matches.filter((m) => m.route.methods[method]);
      if (withMethod.length === 0) throw errors.methodNotAllowed();
      const best = withMethod.reduce((a, b) => (b.score > a.score ? b : a));
      const version = negotiateVersion(req, best.route.resourceVersion);
      let project: ReturnType<typeof findProject>;
      if (best.params.project !== undefined) {
        project = findProject(state, best.params.project);
        if (!project) throw errors.projectNotFound(best.params.project);
      }
      const ctx = makeCtx(req, state, identity, best.params, project, () => (dirty = true), version);
      const handler = best.route.methods[method] as NonNullable<(typeof best.route.methods)[Method]>;
      return await handler(ctx);
    } catch (e) {
      if (e instanceof DevopsError) return e.toResponse();
      throw e;
    } finally {
      if (dirty) opts.persist();
    }
  }

  function makeCtx(
    req: SandboxRequest,
    state: DevopsState,
    identity: IdentityRef,
    params: Record<string, string | undefined>,
    project: Ctx["project"],
    markDirty: () => void,
    version?: Ctx["version"],
  ): Ctx {
    return {
      req,
      state,
      opts,
      identity,
      params,
      project,
      version,
      orgUrl,
      nowIso: () => new Date(opts.now()).toISOString(),
      changed: markDirty,
    };
  }

  return { handle };
}
