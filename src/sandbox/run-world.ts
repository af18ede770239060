import type { SandboxCore } from "./core.js";
import type { RegistryRef, RunWorld } from "./devops/runs/world.js";

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
