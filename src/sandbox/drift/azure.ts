import { groupOf, missing, type DriftContext } from "./context.js";

/** AcrPush: the CI identity's push right on the non-production registry. */
const ACR_PUSH_GUID = "8311e382-0749-4cb8-b61a-304f252e45ec";
const roleGuid = (roleDefinitionId: string | undefined) =>
  (roleDefinitionId ?? "").split("/").pop()?.toLowerCase();

/** Someone "tidies up access": the CI identity's AcrPush on the non-prod registry goes. */
export async function deleteRoleAssignment(c: DriftContext): Promise<string> {
  const { azure, names } = c;
  const registry = await azure.registry.registries.get(names.resourceGroupNonprod, names.registryNonprod);
  const identity = await azure.msi.userAssignedIdentities.get(names.resourceGroupNonprod, names.identityCi);
  for await (const ra of azure.authorization.roleAssignments.listForScope(registry.id!, {
    filter: `principalId eq '${identity.principalId ?? ""}'`,
  })) {
    if (roleGuid(ra.roleDefinitionId) !== ACR_PUSH_GUID || !ra.id) continue;
    await azure.authorization.roleAssignments.deleteById(ra.id);
    return `role assignment ${ra.name ?? ""} (AcrPush for ${names.identityCi} on ${names.registryNonprod}): present -> deleted`;
  }
  throw missing(
    `the AcrPush assignment of ${names.identityCi} on ${names.registryNonprod}`,
    "role-assignment",
  );
}

/** Someone needs a quick `docker login` with a password: the admin user is turned on. */
export async function enableRegistryAdmin(c: DriftContext): Promise<string> {
  const { azure, names } = c;
  const before = await azure.registry.registries.get(names.resourceGroupNonprod, names.registryNonprod);
  await azure.registry.registries.beginUpdateAndWait(
    names.resourceGroupNonprod,
    names.registryNonprod,
    { adminUserEnabled: true },
    azure.lro,
  );
  return `registry ${names.registryNonprod}: adminUserEnabled ${String(before.adminUserEnabled ?? false)} -> true`;
}

/** Someone saves on Log Analytics cost: Container Insights (omsagent) is switched off on staging. */
export async function disableMonitoringAddon(c: DriftContext): Promise<string> {
  const { azure, names } = c;
  const rg = names.resourceGroupNonprod;
  const cluster = await azure.aks.managedClusters.get(rg, names.clusterStaging);
  const before = cluster.addonProfiles?.["omsagent"]?.enabled ?? false;
  await azure.aks.managedClusters.beginCreateOrUpdateAndWait(
    rg,
    names.clusterStaging,
    { ...cluster, addonProfiles: { ...cluster.addonProfiles, omsagent: { enabled: false } } },
    azure.lro,
  );
  return `AKS cluster ${names.clusterStaging}: addonProfiles.omsagent.enabled ${String(before)} -> false`;
}

/** Someone deletes a CI secret from the vault (soft delete: it stays recoverable). */
export async function deleteSecret(c: DriftContext): Promise<string> {
  const { azure, names, answers } = c;
  const secret = answers.keyVault.secrets[0];
  if (!secret) throw missing("a Key Vault secret named in the answers", "secret");
  const vault = await azure.keyVault.vaults.get(names.resourceGroupNonprod, names.keyVault);
  const poller = await azure
    .secrets(vault.properties.vaultUri!)
    .beginDeleteSecret(secret.name, { intervalInMs: azure.lro.updateIntervalInMs });
  await poller.pollUntilDone();
  return `Key Vault ${names.keyVault}: secret ${secret.name} present -> deleted (soft-deleted)`;
}

/** Someone removes a federated credential that "looked unused" (the staging one). */
export async function deleteFederatedCredential(c: DriftContext): Promise<string> {
  const { azure, names } = c;
  const identity = await azure.msi.userAssignedIdentities.get(
    names.resourceGroupNonprod,
    names.identityStaging,
  );
  const rg = groupOf(identity.id!);
  for await (const fic of azure.msi.federatedIdentityCredentials.list(rg, names.identityStaging)) {
    if (!fic.name) continue;
    await azure.msi.federatedIdentityCredentials.delete(rg, names.identityStaging, fic.name);
    return `managed identity ${names.identityStaging}: federated credential ${fic.name} present -> deleted`;
  }
  throw missing(`a federated credential on ${names.identityStaging}`, "federated-credential");
}
