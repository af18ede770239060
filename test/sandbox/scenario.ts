import { createAzureClients } from "../../src/clients/azure.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { grantSecretsOfficer } from "./helpers.js";

/**
 * One pass over every ARM kind the product touches, through the real SDK clients: what the
 * conformance test checks against Microsoft's specs. Returns ids later steps refer to.
 */
export async function runAzureScenario(sandbox: Sandbox): Promise<void> {
  const az = createAzureClients(sandbox.target());
  const sub = sandbox.subscriptionId;
  const rg = "rg-conf-nonprod";
  const tags = { "managed-by": "aks-bootstrap", app: "conf" };
  await az.resources.providers.register("Microsoft.ContainerService");
  await az.resources.providers.get("Microsoft.ContainerService");
  await az.resources.resourceGroups.createOrUpdate(rg, { location: "westeurope", tags });
  await az.resources.resourceGroups.checkExistence(rg);
  await az.resources.resourceGroups.get(rg);
  const ws = await az.logs.workspaces.beginCreateOrUpdateAndWait(
    rg,
    "log-conf-nonprod",
    { location: "westeurope", tags, sku: { name: "PerGB2018" }, retentionInDays: 30 },
    az.lro,
  );
  await az.appInsights.components.createOrUpdate(rg, "appi-conf-staging", {
    location: "westeurope",
    kind: "web",
    applicationType: "web",
    workspaceResourceId: ws.id,
    tags,
  });
  await az.appInsights.components.get(rg, "appi-conf-staging");
  await az.registry.registries.checkNameAvailability({
    name: "crconfnonprod1",
    type: "Microsoft.ContainerRegistry/registries",
  });
  const reg = await az.registry.registries.beginCreateAndWait(
    rg,
    "crconfnonprod1",
    { location: "westeurope", sku: { name: "Standard" }, adminUserEnabled: false, tags },
    az.lro,
  );
  await az.keyVault.vaults.checkNameAvailability({ name: "kv-conf-ci-1", type: "Microsoft.KeyVault/vaults" });
  const vault = await az.keyVault.vaults.beginCreateOrUpdateAndWait(
    rg,
    "kv-conf-ci-1",
    {
      location: "westeurope",
      tags,
      properties: {
        tenantId: sandbox.tenantId,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        enablePurgeProtection: true,
      },
    },
    az.lro,
  );
  await grantSecretsOfficer(sandbox, vault.id!, vault.properties.vaultUri!);
  await az.secrets(vault.properties.vaultUri!).setSecret("conf-secret", "conformance-secret-value");
  const id = await az.msi.userAssignedIdentities.createOrUpdate(rg, "id-conf-ci", {
    location: "westeurope",
    tags,
  });
  await az.msi.federatedIdentityCredentials.createOrUpdate(rg, "id-conf-ci", "sc-conf-ci", {
    issuer: "https://vstoken.dev.azure.com/11111111-1111-1111-1111-111111111111",
    subject: "sc://sandbox-org/conf/sc-conf-ci",
    audiences: ["api://AzureADTokenExchange"],
  });
  await az.msi.userAssignedIdentities.get(rg, "id-conf-ci");
  const cluster = await az.aks.managedClusters.beginCreateOrUpdateAndWait(
    rg,
    "aks-conf-staging",
    {
      location: "westeurope",
      tags,
      kubernetesVersion: "1.32",
      dnsPrefix: "aks-conf-staging",
      identity: { type: "SystemAssigned" },
      agentPoolProfiles: [
        { name: "system", mode: "System", count: 2, vmSize: "Standard_D4ds_v5", osType: "Linux" },
      ],
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
      aadProfile: { managed: true, enableAzureRbac: true },
      disableLocalAccounts: true,
      addonProfiles: {
        omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: ws.id!, useAADAuth: "true" } },
      },
    },
    az.lro,
  );
  await az.aks.managedClusters.listKubernetesVersions("westeurope");
  await az.aks.managedClusters.getUpgradeProfile(rg, "aks-conf-staging");
  for await (const _ of az.aks.agentPools.list(rg, "aks-conf-staging")) void _;
  const dcr = await az.monitor.dataCollectionRules.create(rg, "MSCI-westeurope-aks-conf-staging", {
    body: {
      location: "westeurope",
      tags,
      kind: "Linux",
      dataSources: {
        extensions: [
          {
            name: "ContainerInsightsExtension",
            extensionName: "ContainerInsights",
            streams: ["Microsoft-ContainerInsights-Group-Default"],
          },
        ],
      },
      destinations: { logAnalytics: [{ name: "ciworkspace", workspaceResourceId: ws.id! }] },
      dataFlows: [{ streams: ["Microsoft-ContainerInsights-Group-Default"], destinations: ["ciworkspace"] }],
    },
  });
  await az.monitor.dataCollectionRuleAssociations.create(cluster.id!, "ContainerInsightsExtension", {
    body: { dataCollectionRuleId: dcr.id },
  });
  const role = (guid: string) =>
    `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
  await az.authorization.roleDefinitions.get(`/subscriptions/${sub}`, "7f951dda-4ed3-4680-a7ca-43fe172d538d");
  await az.authorization.roleAssignments.create(reg.id!, "0a1b2c3d-0000-4000-8000-000000000001", {
    roleDefinitionId: role("7f951dda-4ed3-4680-a7ca-43fe172d538d"),
    principalId: cluster.identityProfile!["kubeletidentity"]!.objectId!,
    principalType: "ServicePrincipal",
  });
  await az.authorization.roleAssignments.create(vault.id!, "0a1b2c3d-0000-4000-8000-000000000002", {
    roleDefinitionId: role("4633458b-17de-408a-b874-0445c86b69e6"),
    principalId: id.principalId!,
    principalType: "ServicePrincipal",
  });
  for await (const _ of az.authorization.roleAssignments.listForScope(reg.id!, { filter: "atScope()" }))
    void _;
  for await (const _ of az.authorization.permissions.listForResourceGroup(rg)) void _;
  await az.registry.registries.get(rg, "crconfnonprod1").catch(() => undefined);
  await az.registry.registries.get(rg, "crabsent0000").catch(() => undefined);
  await az.resources.resourceGroups.get("rg-absent").catch(() => undefined);
}
