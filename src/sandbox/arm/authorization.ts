import type { SandboxCore } from "../core.js";
import type { SandboxRequest, SandboxResponse } from "../types.js";
import { ArmError } from "./errors.js";
import { findRole, roleDefinitionBody, BUILT_IN_ROLES } from "./role-definitions.js";

/**
 * Microsoft.Authorization at any scope (spec 2022-04-01): role definitions, role assignments
 * (409 RoleAssignmentExists on a duplicate, PrincipalNotFound for an unknown or too-new
 * principal) and the caller's permissions.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RA_TYPE = "Microsoft.Authorization/roleAssignments";

/** Whether `scope` is `outer` or below it. */
const within = (scope: string, outer: string) => {
  const s = scope.toLowerCase().replace(/\/$/, "");
  const o = outer.toLowerCase().replace(/\/$/, "");
  return o === "" || s === o || s.startsWith(`${o}/`);
};

function scopeExists(core: SandboxCore, scope: string): boolean {
  const s = scope.toLowerCase().replace(/\/$/, "");
  if (s === "" || s === `/subscriptions/${core.state.subscriptionId}`.toLowerCase()) return true;
  if (core.state.resources[s]) return true;
  // Scopes below a resource (an AKS namespace, a registry repository) live inside it.
  return Object.keys(core.state.resources).some(
    (k) => s.startsWith(`${k}/`) && !k.includes("/providers/microsoft.authorization/"),
  );
}

function assignments(core: SandboxCore) {
  return Object.values(core.state.resources).filter((r) => r.type === RA_TYPE);
}

function subscriptionOfScope(scope: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
}

export function roleAssignmentBody(
  core: SandboxCore,
  scope: string,
  name: string,
  p: Record<string, unknown>,
  existing?: Record<string, unknown>,
) {
  const now = new Date(core.clock.now()).toISOString();
  const prev = (existing?.["properties"] ?? {}) as Record<string, unknown>;
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: RA_TYPE,
    properties: {
      roleDefinitionId: p["roleDefinitionId"],
      principalId: p["principalId"],
      principalType:
        p["principalType"] ?? core.state.principals[String(p["principalId"])]?.kind ?? "ServicePrincipal",
      scope: scope || "/",
      condition: p["condition"] ?? null,
      conditionVersion: p["conditionVersion"] ?? null,
      description: p["description"] ?? null,
      createdOn: prev["createdOn"] ?? now,
      updatedOn: now,
      createdBy: prev["createdBy"] ?? core.state.clientObjectId,
      updatedBy: core.state.clientObjectId,
      delegatedManagedIdentityResourceId: null,
    },
  };
}

function putAssignment(core: SandboxCore, req: SandboxRequest, scope: string, name: string): SandboxResponse {
  if (!GUID.test(name)) {
    throw new ArmError(
      400,
      "InvalidRoleAssignmentId",
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    );
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  const p = body["properties"] as Record<string, unknown> | undefined;
  if (!p)
    throw new ArmError(
      400,
      "InvalidRequestContent",
      "The request content was invalid and could not be deserialized: 'Required property 'properties' not found in JSON. Path '', line 1, position 2.'.",
    );
  for (const field of ["roleDefinitionId", "principalId"]) {
    if (typeof p[field] !== "string" || !p[field]) {
      throw new ArmError(
        400,
        "InvalidRequestContent",
        `The request content was invalid and could not be deserialized: 'Required property '${field}' not found in JSON. Path 'properties'.'.`,
      );
    }
  }
  const pt = p["principalType"];
  if (
    pt !== undefined &&
    !["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"].includes(String(pt))
  ) {
    throw new ArmError(400, "InvalidPrincipalType", `The principal type '${String(pt)}' is not valid.`);
  }
  if (!scopeExists(core, scope)) {
    throw new ArmError(
      404,
      "ResourceNotFound",
      `The scope '${scope}' does not exist. The resource it names was not found.`,
    );
  }
  const roleGuid = String(p["roleDefinitionId"]).split("/").pop() ?? "";
  if (!findRole(roleGuid)) {
    throw new ArmError(
      400,
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${roleGuid}' does not exist.`,
    );
  }
  const principalId = String(p["principalId"]);
  const principal = core.state.principals[principalId];
  const tooNew =
    principal &&
    core.clock.now() - principal.createdAt < core.clock.scaled(60) &&
    core.faults.roll("principal-not-found");
  if (!principal || tooNew) {
    throw new ArmError(
      400,
      "PrincipalNotFound",
      `Principal ${principalId.replace(/-/g, "")} does not exist in the directory ${core.state.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    );
  }
  if (pt !== undefined && principal && principal.kind !== pt) {
    throw new ArmError(
      400,
      "UnmatchedPrincipalType",
      `The PrincipalId '${principalId.replace(/-/g, "")}' has type '${principal.kind}' , which is different from specified PrincipalType '${String(pt)}'.`,
    );
  }
  const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  const key = id.toLowerCase();
  const existing = core.state.resources[key];
  const sameAs = (r: Record<string, unknown>) => {
    const q = r["properties"] as Record<string, unknown>;
    return (
      String(q["principalId"]).toLowerCase() === principalId.toLowerCase() &&
      String(q["roleDefinitionId"]).split("/").pop()?.toLowerCase() === roleGuid.toLowerCase() &&
      String(q["scope"]).toLowerCase() === (scope || "/").toLowerCase()
    );
  };
  if (existing) {
    if (!sameAs(existing.body)) {
      throw new ArmError(
        400,
        "RoleAssignmentUpdateNotPermitted",
        "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
      );
    }
    return { status: 201, body: existing.body };
  }
  const dup = assignments(core).find((r) => sameAs(r.body));
  if (dup) throw new ArmError(409, "RoleAssignmentExists", "The role assignment already exists.");
  const sub = subscriptionOfScope(scope);
  const roleDefinitionId = `${sub ? `/subscriptions/${sub}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
  const resource = roleAssignmentBody(core, scope, name, { ...p, roleDefinitionId });
  const now = core.clock.now();
  core.state.resources[key] = {
    id,
    type: RA_TYPE,
    body: resource,
    createdAt: now,
    // Eventual consistency: a GET right after the PUT may not see it yet.
    ...(core.faults.roll("eventual") ? { visibleAt: now + core.clock.scaled(20) } : {}),
  };
  core.persist();
  return { status: 201, body: resource };
}

function listAssignments(core: SandboxCore, req: SandboxRequest, scope: string): SandboxResponse {
  const filter = req.query.get("$filter") ?? "";
  const atScope = /atScope\(\)/i.test(filter);
  const principal = /(?:principalId\s+eq|assignedTo\()\s*'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
  const value = assignments(core)
    .map((r) => r.body)
    .filter((b) => {
      const p = b["properties"] as Record<string, unknown>;
      const s = String(p["scope"]);
      const at = within(scope, s === "/" ? "" : s);
      if (atScope ? !at : !(at || within(s, scope))) return false;
      return !principal || String(p["principalId"]).toLowerCase() === principal;
    });
  return { status: 200, body: { value } };
}

function permissions(core: SandboxCore, req: SandboxRequest, scope: string): SandboxResponse {
  const caller = req.caller?.objectId ?? "";
  const value = assignments(core)
    .map((r) => r.body["properties"] as Record<string, unknown>)
    .filter(
      (p) =>
        String(p["principalId"]) === caller &&
        within(scope, String(p["scope"]) === "/" ? "" : String(p["scope"])),
    )
    .flatMap((p) => {
      const role = findRole(String(p["roleDefinitionId"]).split("/").pop() ?? "");
      return role
        ? [
            {
              actions: role.actions,
              notActions: role.notActions ?? [],
              dataActions: role.dataActions ?? [],
              notDataActions: [],
            },
          ]
        : [];
    });
  return { status: 200, body: { value } };
}

/** Handles `{scope}/providers/Microsoft.Authorization/{rest}`; undefined when not ours. */
export function handleAuthorization(
  core: SandboxCore,
  req: SandboxRequest,
  scope: string,
  rest: string[],
): SandboxResponse | undefined {
  const [kind, name] = [rest[0]?.toLowerCase(), rest[1]];
  const sub = subscriptionOfScope(scope);
  if (kind === "roledefinitions") {
    if (req.method !== "GET") return undefined;
    if (name) {
      const role = findRole(name);
      if (!role)
        throw new ArmError(
          404,
          "RoleDefinitionDoesNotExist",
          `The role definition '${name}' could not be found.`,
        );
      return { status: 200, body: roleDefinitionBody(role, sub) };
    }
    const filter = req.query.get("$filter") ?? "";
    const wanted = /roleName\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
    const value = BUILT_IN_ROLES.filter((r) => !wanted || r.roleName.toLowerCase() === wanted).map((r) =>
      roleDefinitionBody(r, sub),
    );
    return { status: 200, body: { value } };
  }
  if (kind === "roleassignments") {
    if (!name) return req.method === "GET" ? listAssignments(core, req, scope) : undefined;
    const key = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`.toLowerCase();
    if (req.method === "PUT") return putAssignment(core, req, scope, name);
    if (req.method === "GET") {
      const found = core.state.resources[key];
      if (!found || (found.visibleAt ?? 0) > core.clock.now()) {
        throw new ArmError(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`);
      }
      return { status: 200, body: found.body };
    }
    if (req.method === "DELETE") {
      const found = core.state.resources[key];
      if (!found) return { status: 204 };
      delete core.state.resources[key];
      core.persist();
      return { status: 200, body: found.body };
    }
    return undefined;
  }
  if (kind === "permissions" && !name && req.method === "GET") return permissions(core, req, scope);
  return undefined;
}
