import type { SandboxCore } from "./core.js";
import type { RegistryRef, RunWorld } from "./devops/runs/world.js";
import { findRole } from "./arm/role-definitions.js";
import { matches as wildcard, RBAC_PROPAGATION_SECONDS } from "./vault/authorize.js";

/**
 * The ARM side of pipeline runs: registries (images), clusters (deployments) and vaults
 * (secrets present), over the sandbox state, so `sandbox state` shows what runs did.
 */
export function runWorld(core: SandboxCore): RunWorld {
  const resources = () => Object.values(core.state.resources);
  const registry = (r: (typeof core.state.resources)[string]): RegistryRef => ({
    id: r.id,
    name: String(r.body["name"]),
    loginServer: String((r.body["properties"] as Record<string, unknown> | undefined)?.["loginServer"] ?? ""),
  });
  return {
    findRegistry(key) {
      const k = key.toLowerCase();
      const r = resources().find(
        (x) =>
          x.type === "Microsoft.ContainerRegistry/registries" &&
          (String(x.body["name"]).toLowerCase() === k || registry(x).loginServer.toLowerCase() === k),
      );
      return r ? registry(r) : undefined;
    },
    hasImage(reg, repository, tag) {
      return (core.state.registryImages?.[reg.id.toLowerCase()] ?? []).some(
        (i) => i.repository === repository && i.tag === tag,
      );
    },
    putImage(reg, repository, tag, source) {
      const all = (core.state.registryImages ??= {});
      const list = (all[reg.id.toLowerCase()] ??= []);
      const image = { repository, tag, source, createdAt: new Date(core.clock.now()).toISOString() };
      const i = list.findIndex((x) => x.repository === repository && x.tag === tag);
      if (i >= 0) list[i] = image;
      else list.push(image);
    },
    findCluster(resourceGroup, name) {
      const id = `/subscriptions/${core.state.subscriptionId}/resourcegroups/${resourceGroup}/providers/microsoft.containerservice/managedclusters/${name}`;
      const r = core.state.resources[id.toLowerCase()];
      return r ? { id: r.id, name: String(r.body["name"]) } : undefined;
    },
    recordDeployment(clusterId, deployment) {
      const all = (core.state.clusterDeployments ??= {});
      (all[clusterId.toLowerCase()] ??= []).push(deployment);
    },
    authorize(clientId, scope, action) {
      const identity = resources().find(
        (r) =>
          r.type === "Microsoft.ManagedIdentity/userAssignedIdentities" &&
          String((r.body["properties"] as Record<string, unknown> | undefined)?.["clientId"]) === clientId,
      );
      const principalId = String(
        (identity?.body["properties"] as Record<string, unknown> | undefined)?.["principalId"] ?? "",
      );
      if (!identity || !principalId) return undefined;
      const target = scope.toLowerCase();
      const now = core.clock.now();
      const allowed = resources().some((r) => {
        if (r.type !== "Microsoft.Authorization/roleAssignments") return false;
        const p = r.body["properties"] as Record<string, unknown>;
        if (String(p["principalId"]) !== principalId) return false;
        const at = String(p["scope"]).toLowerCase().replace(/\/$/, "");
        if (!(at === "" || at === "/" || target === at || target.startsWith(`${at}/`))) return false;
        if (r.createdAt + core.clock.scaled(RBAC_PROPAGATION_SECONDS) > now) return false;
        const role = findRole(String(p["roleDefinitionId"]).split("/").pop() ?? "");
        const notActions = role?.notActions ?? [];
        return (
          (role?.actions ?? []).some((a) => wildcard(a, action)) &&
          !notActions.some((a) => wildcard(a, action))
        );
      });
      if (allowed) return undefined;
      return `The client '${clientId}' with object id '${principalId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;
    },
    vaultHasSecret(vaultName, secretName) {
      const vault = resources().find(
        (x) =>
          x.type === "Microsoft.KeyVault/vaults" &&
          String(x.body["name"]).toLowerCase() === vaultName.toLowerCase(),
      );
      if (!vault) return undefined;
      const data = core.state.vaults[vaultName.toLowerCase()];
      const s = data?.secrets[secretName.toLowerCase()];
      return !!s && !s.deleted && s.versions.some((v) => v.enabled);
    },
  };
}
