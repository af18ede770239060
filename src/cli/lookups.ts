import type { Names } from "../answers/names.js";
import type { Target } from "../clients/target.js";
import { ARM_SCOPE, createAzureClients } from "../clients/azure.js";
import { createDevopsClients } from "../clients/devops.js";
import type { WizardLookups } from "../ui/wizard/types.js";

function claims(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** What the wizard may ask the clouds, built from a Target (the sandbox's or Azure's). */
export function wizardLookups(target: Target): WizardLookups {
  const azure = createAzureClients(target);
  const devopsFor = (orgUrl: string) => createDevopsClients({ ...target, devopsOrganizationUrl: orgUrl });
  return {
    async signedIn() {
      const token = await target.credential.getToken(ARM_SCOPE);
      const c = claims(token?.token ?? "");
      const user = String(
        c.upn ?? c.unique_name ?? c.preferred_username ?? c.name ?? c.appid ?? c.oid ?? "unknown",
      );
      return { user, tenantId: String(c.tid ?? target.tenantId) };
    },
    async subscriptions() {
      const out: { id: string; name: string; tenantId: string }[] = [];
      for await (const s of azure.subscriptions.subscriptions.list()) {
        if (s.subscriptionId)
          out.push({
            id: s.subscriptionId,
            name: s.displayName ?? s.subscriptionId,
            tenantId: s.tenantId ?? "",
          });
      }
      return out;
    },
    async regions(subscriptionId: string) {
      const provider = await createAzureClients({ ...target, subscriptionId }).resources.providers.get(
        "Microsoft.ContainerService",
      );
      const type = provider.resourceTypes?.find((t) => t.resourceType?.toLowerCase() === "managedclusters");
      return (type?.locations ?? []).map((l) => l.toLowerCase().replace(/\s+/g, "")).sort();
    },
    async nameAvailability(names: Names) {
      // A name held by our own resource (a rerun) counts as free: it is the one we will use.
      const ours = async (read: () => Promise<unknown>) => {
        try {
          await read();
          return true;
        } catch {
          return false;
        }
      };
      const [registry, registryProd, vault] = await Promise.all([
        azure.registry.registries.checkNameAvailability({
          name: names.registryNonprod,
          type: "Microsoft.ContainerRegistry/registries",
        }),
        azure.registry.registries.checkNameAvailability({
          name: names.registryProd,
          type: "Microsoft.ContainerRegistry/registries",
        }),
        azure.keyVault.vaults.checkNameAvailability({
          name: names.keyVault,
          type: "Microsoft.KeyVault/vaults",
        }),
      ]);
      return {
        [names.registryNonprod]:
          registry.nameAvailable !== false ||
          (await ours(() =>
            azure.registry.registries.get(names.resourceGroupNonprod, names.registryNonprod),
          )),
        [names.registryProd]:
          registryProd.nameAvailable !== false ||
          (await ours(() => azure.registry.registries.get(names.resourceGroupProd, names.registryProd))),
        [names.keyVault]:
          vault.nameAvailable !== false ||
          (await ours(() => azure.keyVault.vaults.get(names.resourceGroupNonprod, names.keyVault))),
      };
    },
    async projects(orgUrl: string) {
      const core = await (await devopsFor(orgUrl).api()).getCoreApi();
      return ((await core.getProjects()) ?? []).map((p) => p.name ?? "").filter(Boolean);
    },
    async repositories(orgUrl: string, project: string) {
      const git = await (await devopsFor(orgUrl).api()).getGitApi();
      return ((await git.getRepositories(project)) ?? []).map((r) => r.name ?? "").filter(Boolean);
    },
    async existingSecrets(names: Names) {
      try {
        const vault = await azure.keyVault.vaults.get(names.resourceGroupNonprod, names.keyVault);
        const uri = vault.properties?.vaultUri;
        if (!uri) return [];
        const out: string[] = [];
        for await (const p of azure.secrets(uri).listPropertiesOfSecrets()) out.push(p.name);
        return out;
      } catch {
        return [];
      }
    },
  };
}
