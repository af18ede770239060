import type { Names } from "../answers/names.js";
import type { Target } from "../clients/target.js";
import { ARM_SCOPE, createAzureClients } from "../clients/azure.js";
import { createDevopsClients } from "../clients/devops.js";
import type { WizardLookups } from "../ui/wizard/types.js";
import type { FoundResource } from "../ui/wizard/lookups.js";
import { parseArmId } from "../answers/arm-id.js";
import { clusterGaps } from "../../steps/preflight/existing-resources.js";
import { MANAGED_BY } from "../../steps/azure/common.js";
import { detectRepoStack } from "../../steps/repo/stack/read-repo.js";
import { checkApprovers } from "../../steps/devops/approvers.js";
import { signedInUser } from "../../steps/devops/identities.js";

interface Listed {
  readonly id?: string;
  readonly name?: string;
  readonly tags?: Record<string, string>;
}

/** Everything `list` yields, except what aks-bootstrap made for `app` (it is not "existing"). */
async function found<T extends Listed>(
  list: AsyncIterable<T>,
  app: string,
  lacks: (r: T) => string | undefined = () => undefined,
): Promise<FoundResource[]> {
  const out: FoundResource[] = [];
  try {
    for await (const r of list) {
      const ours = r.tags?.["managed-by"] === MANAGED_BY && r.tags["app"] === app;
      const armId = r.id ? parseArmId(r.id) : undefined;
      if (ours || !armId) continue;
      const gap = lacks(r);
      out.push({
        id: armId.id,
        name: r.name ?? armId.name,
        resourceGroup: armId.resourceGroup,
        ...(gap ? { lacks: gap } : {}),
      });
    }
  } catch {
    // An offer, not a check: a kind that cannot be listed (provider not registered, no read
    // permission) is simply not offered; its id can still be written in the answers file.
    return [];
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

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
    async existingResources(subscriptionId: string, app: string) {
      const a = createAzureClients({ ...target, subscriptionId });
      const [aksCluster, registry, keyVault, workspace, appInsights] = await Promise.all([
        found(a.aks.managedClusters.list(), app, (c) => {
          const gaps = clusterGaps(c);
          return gaps.length
            ? `${gaps.map((g) => g.feature.replace(/ \(.*\)$/, "")).join(", ")} off`
            : undefined;
        }),
        found(a.registry.registries.list(), app),
        found(a.keyVault.vaults.listBySubscription(), app, (v) =>
          v.properties.enableRbacAuthorization === true ? undefined : "access policies, not Azure RBAC",
        ),
        found(a.logs.workspaces.list(), app),
        found(a.appInsights.components.list(), app),
      ]);
      return { aksCluster, registry, keyVault, workspace, appInsights };
    },
    async projects(orgUrl: string) {
      const core = await (await devopsFor(orgUrl).api()).getCoreApi();
      return ((await core.getProjects()) ?? []).map((p) => p.name ?? "").filter(Boolean);
    },
    async repositories(orgUrl: string, project: string) {
      const git = await (await devopsFor(orgUrl).api()).getGitApi();
      return ((await git.getRepositories(project)) ?? []).map((r) => r.name ?? "").filter(Boolean);
    },
    async repoStack(orgUrl: string, project: string, repository: string, dockerfile = "Dockerfile") {
      const git = await (await devopsFor(orgUrl).api()).getGitApi();
      const repo = await git.getRepository(repository, project);
      if (!repo?.id || !repo.defaultBranch) return undefined;
      const branch = repo.defaultBranch.replace(/^refs\/heads\//, "");
      const at = { project, repositoryId: repo.id, branch };
      return (await detectRepoStack(git, at, { branch }, dockerfile.replace(/^\.?\//, ""))).detection;
    },
    async approvers(orgUrl: string, names: readonly string[], opts = {}) {
      const checks = await checkApprovers(devopsFor(orgUrl), names, opts);
      return checks.map((c) => ({
        name: c.name,
        known: c.identity !== undefined || c.pending === true,
        ...(c.suggestion ? { suggestion: c.suggestion } : {}),
      }));
    },
    async devopsUser(orgUrl: string) {
      return (await signedInUser({ devops: devopsFor(orgUrl) })).displayName;
    },
    async existingSecrets(names: Names, existingVault?: string) {
      try {
        const rg = (existingVault && parseArmId(existingVault)?.resourceGroup) || names.resourceGroupNonprod;
        const vault = await azure.keyVault.vaults.get(rg, names.keyVault);
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
