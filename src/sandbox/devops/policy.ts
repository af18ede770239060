import type { Ctx } from "./context.js";
import { bodyObject, identityJson, list, noContent, obj, ok, query, str } from "./context.js";
import { errors } from "./errors.js";
import { GUID } from "./names.js";
import type { Route } from "./router.js";
import type { DevopsState, GitRepositoryRecord, PolicyConfigurationRecord } from "./state.js";

/** Branch policy types every project has (Microsoft's fixed ids). */
export const POLICY_TYPES = [
  {
    id: "0609b952-1397-4640-95ec-e00a01b2c241",
    displayName: "Build",
    description:
      "This policy will require a successful build has been performed before updating protected refs.",
  },
  {
    id: "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd",
    displayName: "Minimum number of reviewers",
    description:
      "This policy will ensure that a minimum number of reviewers have approved a pull request before completing it.",
  },
  {
    id: "fd2167ab-b0be-447a-8ec8-39368250530e",
    displayName: "Required reviewers",
    description:
      "This policy will ensure that required reviewers are added for modified files matching specified patterns.",
  },
  {
    id: "40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e",
    displayName: "Work item linking",
    description: "This policy encourages developers to link commits to work items.",
  },
  {
    id: "c6a1889d-b943-4856-b76f-9e46bb6b0df2",
    displayName: "Comment requirements",
    description: "Check if the pull request has any active comments",
  },
  {
    id: "fa4e907d-c16b-4a4c-9dfa-4916e5d171ab",
    displayName: "Require a merge strategy",
    description: "This policy ensures that pull requests use a consistent merge strategy.",
  },
];
export const BUILD_POLICY = "0609b952-1397-4640-95ec-e00a01b2c241";
export const MIN_REVIEWERS_POLICY = "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd";

interface Scope {
  repositoryId: string | null;
  refName?: string;
  matchKind?: string;
}

function scopesOf(p: PolicyConfigurationRecord): Scope[] {
  const s = p.settings.scope;
  return Array.isArray(s) ? (s as Scope[]) : [];
}

function scopeMatches(scope: Scope, repo: GitRepositoryRecord, refName: string): boolean {
  if (scope.repositoryId && scope.repositoryId.toLowerCase() !== repo.id) return false;
  const kind = (scope.matchKind ?? "exact").toLowerCase();
  if (kind === "defaultbranch") return repo.defaultBranch === refName;
  if (!scope.refName) return true;
  return kind === "prefix" ? refName.startsWith(scope.refName) : refName === scope.refName;
}

/** Whether a policy's scope covers this branch of this repository. */
export function policyAppliesTo(
  p: PolicyConfigurationRecord,
  repo: GitRepositoryRecord,
  refName: string,
): boolean {
  return scopesOf(p).some((s) => scopeMatches(s, repo, refName));
}

/**
 * A branch protected by an enabled, blocking policy refuses direct pushes (TF402455): changes
 * must go through a pull request. Creating a new branch is not blocked unless a policy names it.
 */
export function branchIsProtected(state: DevopsState, repo: GitRepositoryRecord, refName: string): boolean {
  return Object.values(state.policies).some(
    (p) =>
      p.projectId === repo.projectId &&
      p.isEnabled &&
      p.isBlocking &&
      !p.isDeleted &&
      scopesOf(p).some((s) => scopeMatches(s, repo, refName)),
  );
}

function typeRef(ctx: Ctx, projectId: string, id: string) {
  const t = POLICY_TYPES.find((x) => x.id === id);
  return {
    id,
    url: `${ctx.orgUrl}/${projectId}/_apis/policy/types/${id}`,
    displayName: t?.displayName ?? id,
  };
}

export function configJson(ctx: Ctx, p: PolicyConfigurationRecord) {
  const url = `${ctx.orgUrl}/${p.projectId}/_apis/policy/configurations/${p.id}`;
  return {
    createdBy: identityJson(ctx, p.createdBy),
    createdDate: p.createdDate,
    isEnabled: p.isEnabled,
    isBlocking: p.isBlocking,
    isDeleted: p.isDeleted,
    settings: p.settings,
    isEnterpriseManaged: false,
    _links: { self: { href: url }, policyType: { href: typeRef(ctx, p.projectId, p.typeId).url } },
    revision: p.revision,
    id: p.id,
    url,
    type: typeRef(ctx, p.projectId, p.typeId),
  };
}

/** Validates a configuration body against what the policy service requires. */
function parseConfig(
  ctx: Ctx,
): Pick<PolicyConfigurationRecord, "typeId" | "isEnabled" | "isBlocking" | "settings"> {
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "configuration");
  const typeId = str(obj(body.type)?.id)?.toLowerCase();
  if (!typeId) throw errors.argument("Value cannot be null.", "configuration.Type");
  if (!POLICY_TYPES.some((t) => t.id === typeId)) throw errors.policyTypeNotFound(typeId);
  if (typeof body.isEnabled !== "boolean")
    throw errors.policyInvalid("The policy configuration must specify isEnabled.");
  if (typeof body.isBlocking !== "boolean")
    throw errors.policyInvalid("The policy configuration must specify isBlocking.");
  const settings = obj(body.settings);
  if (!settings) throw errors.argument("Value cannot be null.", "configuration.Settings");
  const scope = settings.scope;
  if (!Array.isArray(scope) || scope.length === 0)
    throw errors.policyInvalid("The policy settings must contain a non-empty scope.");
  for (const s of scope) {
    const so = obj(s);
    if (!so) throw errors.policyInvalid("Each scope entry must be an object.");
    const repoId = so.repositoryId;
    if (repoId !== null && repoId !== undefined) {
      if (typeof repoId !== "string" || !GUID.test(repoId) || !ctx.state.repositories[repoId.toLowerCase()]) {
        throw errors.repoNotFound(String(repoId));
      }
    }
    const kind = str(so.matchKind);
    if (kind !== undefined && !["exact", "prefix", "defaultbranch"].includes(kind.toLowerCase())) {
      throw errors.policyInvalid(
        `The matchKind '${kind}' is not valid. Valid values are Exact, Prefix and DefaultBranch.`,
      );
    }
    const ref = so.refName;
    if (kind?.toLowerCase() !== "defaultbranch" && (typeof ref !== "string" || !ref.startsWith("refs/"))) {
      throw errors.policyInvalid("Each scope entry must name a refName starting with refs/.");
    }
  }
  if (typeId === BUILD_POLICY) {
    const id = settings.buildDefinitionId;
    if (typeof id !== "number" || !Number.isInteger(id))
      throw errors.policyInvalid("The build policy requires an integer buildDefinitionId.");
    const def = ctx.state.definitions[String(id)];
    if (!def || def.projectId !== ctx.project?.id) throw errors.definitionNotFound(String(id));
  }
  if (typeId === MIN_REVIEWERS_POLICY) {
    const n = settings.minimumApproverCount;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 10) {
      throw errors.policyInvalid(
        "The minimum number of reviewers policy requires minimumApproverCount between 1 and 10.",
      );
    }
  }
  return { typeId, isEnabled: body.isEnabled, isBlocking: body.isBlocking, settings };
}

function project(ctx: Ctx) {
  if (!ctx.project) throw errors.projectNotFound("");
  return ctx.project;
}

function findConfig(ctx: Ctx): PolicyConfigurationRecord {
  const id = ctx.params.configurationId ?? "";
  const p = ctx.state.policies[id];
  if (!p || p.projectId !== project(ctx).id || p.isDeleted) throw errors.policyNotFound(id);
  return p;
}

function listConfigs(ctx: Ctx) {
  const proj = project(ctx);
  const type = query(ctx, "policyType")?.toLowerCase();
  const scope = query(ctx, "scope");
  const repoId = query(ctx, "repositoryId")?.toLowerCase();
  const ref = query(ctx, "refName");
  const items = Object.values(ctx.state.policies)
    .filter((p) => p.projectId === proj.id && !p.isDeleted)
    .filter((p) => !type || p.typeId === type)
    .filter(
      (p) => !repoId || scopesOf(p).some((s) => !s.repositoryId || s.repositoryId.toLowerCase() === repoId),
    )
    .filter((p) => !ref || scopesOf(p).some((s) => s.refName === ref))
    .filter((p) => !scope || JSON.stringify(p.settings.scope ?? []).includes(scope))
    .sort((a, b) => a.id - b.id);
  return list(items.map((p) => configJson(ctx, p)));
}

function createConfig(ctx: Ctx) {
  const proj = project(ctx);
  const parsed = parseConfig(ctx);
  const id = ctx.state.counters.policy++;
  const rec: PolicyConfigurationRecord = {
    id,
    projectId: proj.id,
    revision: 1,
    isDeleted: false,
    createdBy: ctx.identity,
    createdDate: ctx.nowIso(),
    ...parsed,
  };
  ctx.state.policies[String(id)] = rec;
  ctx.changed();
  return ok(configJson(ctx, rec));
}

function updateConfig(ctx: Ctx) {
  const rec = findConfig(ctx);
  const parsed = parseConfig(ctx);
  if (parsed.typeId !== rec.typeId)
    throw errors.policyInvalid("The policy type of an existing configuration cannot be changed.");
  Object.assign(rec, parsed, { revision: rec.revision + 1 });
  ctx.changed();
  return ok(configJson(ctx, rec));
}

function deleteConfig(ctx: Ctx) {
  const rec = findConfig(ctx);
  rec.isDeleted = true;
  ctx.changed();
  return noContent();
}

function listTypes(ctx: Ctx) {
  const proj = project(ctx);
  return list(
    POLICY_TYPES.map((t) => ({
      ...t,
      url: `${ctx.orgUrl}/${proj.id}/_apis/policy/types/${t.id}`,
      _links: { self: { href: `${ctx.orgUrl}/${proj.id}/_apis/policy/types/${t.id}` } },
    })),
  );
}

function getType(ctx: Ctx) {
  const proj = project(ctx);
  const id = (ctx.params.typeId ?? "").toLowerCase();
  const t = POLICY_TYPES.find((x) => x.id === id);
  if (!t) throw errors.policyTypeNotFound(id);
  return ok({ ...t, url: `${ctx.orgUrl}/${proj.id}/_apis/policy/types/${t.id}` });
}

export const policyRoutes: Route[] = [
  {
    id: "dad91cbe-d183-45f8-9c6e-9c1164472121",
    area: "policy",
    resource: "configurations",
    template: "{project}/_apis/policy/configurations/{configurationId}",
    resourceVersion: 1,
    methods: {
      GET: (ctx) => (ctx.params.configurationId ? ok(configJson(ctx, findConfig(ctx))) : listConfigs(ctx)),
      POST: createConfig,
      PUT: updateConfig,
      DELETE: deleteConfig,
    },
  },
  {
    id: "44096322-2d3d-466a-bb30-d1b7de69f61f",
    area: "policy",
    resource: "types",
    template: "{project}/_apis/policy/types/{typeId}",
    resourceVersion: 1,
    methods: { GET: (ctx) => (ctx.params.typeId ? getType(ctx) : listTypes(ctx)) },
  },
];
