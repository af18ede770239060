import type { SandboxCore } from "../core.js";
import { findRole } from "../arm/role-definitions.js";
import type { SandboxCaller } from "../types.js";

/**
 * Key Vault data-plane authorization, as the service does it: an RBAC vault needs a role
 * assignment with the data action at the vault or above (effective only after it has
 * propagated), an access-policy vault needs a policy for the caller with the permission.
 */
export const RBAC_PROPAGATION_SECONDS = 30;

export type SecretOp = "get" | "set" | "list" | "delete" | "recover" | "purge";

const DATA_ACTION: Record<SecretOp, string> = {
  get: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
  set: "Microsoft.KeyVault/vaults/secrets/setSecret/action",
  list: "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
  delete: "Microsoft.KeyVault/vaults/secrets/delete",
  recover: "Microsoft.KeyVault/vaults/secrets/recover/action",
  purge: "Microsoft.KeyVault/vaults/secrets/purge/action",
};

/** Whether a role's action pattern (with `*` wildcards) covers `action`. */
export function matches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}

/** Undefined when allowed; otherwise the service's 403 body. */
export function authorizeSecretOp(
  core: SandboxCore,
  vaultName: string,
  caller: SandboxCaller,
  op: SecretOp,
): Record<string, unknown> | undefined {
  const vault = Object.values(core.state.resources).find(
    (r) =>
      r.type === "Microsoft.KeyVault/vaults" &&
      String(r.body["name"]).toLowerCase() === vaultName.toLowerCase(),
  );
  if (!vault) return undefined;
  const props = (vault.body["properties"] ?? {}) as Record<string, unknown>;
  const action = DATA_ACTION[op];
  const now = core.clock.now();
  if (props["enableRbacAuthorization"] !== false) {
    const vaultId = vault.id.toLowerCase();
    const allowed = Object.values(core.state.resources).some((r) => {
      if (r.type !== "Microsoft.Authorization/roleAssignments") return false;
      const p = r.body["properties"] as Record<string, unknown>;
      const scope = String(p["scope"]).toLowerCase().replace(/\/$/, "");
      if (String(p["principalId"]) !== caller.objectId) return false;
      if (!(scope === "" || vaultId === scope || vaultId.startsWith(`${scope}/`))) return false;
      if (r.createdAt + core.clock.scaled(RBAC_PROPAGATION_SECONDS) > now) return false;
      const role = findRole(String(p["roleDefinitionId"]).split("/").pop() ?? "");
      return (role?.dataActions ?? []).some((d) => matches(d, action));
    });
    if (allowed) return undefined;
    return {
      error: {
        code: "Forbidden",
        message: `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=${caller.appId};oid=${caller.objectId};iss=https://sts.windows.net/${core.state.tenantId}/\r\nAction: '${action}'\r\nResource: '${vault.id.toLowerCase()}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${vaultName};location=${String(vault.body["location"])}\r\n`,
        innererror: { code: "ForbiddenByRbac" },
      },
    };
  }
  const policies = (props["accessPolicies"] ?? []) as Record<string, unknown>[];
  const permission = op === "list" ? "list" : op;
  const ok = policies.some((p) => {
    const perms = ((p["permissions"] as Record<string, unknown> | undefined)?.["secrets"] ?? []) as string[];
    return (
      String(p["objectId"]) === caller.objectId &&
      perms.some((x) => x.toLowerCase() === permission || x.toLowerCase() === "all")
    );
  });
  if (ok) return undefined;
  return {
    error: {
      code: "Forbidden",
      message: `The user, group or application 'appid=${caller.appId};oid=${caller.objectId};iss=https://sts.windows.net/${core.state.tenantId}/' does not have secrets ${permission} permission on key vault '${vaultName};location=${String(vault.body["location"])}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
      innererror: { code: "AccessDenied" },
    },
  };
}
