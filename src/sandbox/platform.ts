import type { ManagedCluster } from "@azure/arm-containerservice";
import { createAzureClients } from "../clients/azure.js";
import type { Sandbox } from "./index.js";

/** Resource group the platform team's resources live in (not one of aks-bootstrap's). */
export const PLATFORM_GROUP = "rg-platform";

/** Resource ids of what `seedPlatform` made, to put under `azure.existing` in the answers. */
export interface PlatformResources {
  /** OIDC issuer, workload identity, Entra ID and Azure RBAC on: usable as is. */
  readonly cluster: string;
  /** Made before workload identity existed: no OIDC issuer, no Entra ID. Preflight refuses it. */
  readonly legacyCluster: string;
  readonly registry: string;
  /** Azure RBAC authorization. */
  readonly vault: string;
  readonly workspace: string;
  /** Workspace-based, sending to `workspace`. */
  readonly appInsights: string;
}

function clusterBody(location: string, name: string, ready: boolean): ManagedCluster {
  return {
    location,
    dnsPrefix: name,
    identity: { type: "SystemAssigned" },
    agentPoolProfiles: [{ name: "system", mode: "System", count: 1, vmSize: "Standard_D2s_v5" }],
    ...(ready
      ? {
          oidcIssuerProfile: { enabled: true },
          securityProfile: { workloadIdentity: { enabled: true } },
          aadProfile: { managed: true, enableAzureRbac: true },
        }
      : {}),
    tags: { team: "platform" },
  };
}

/**
 * What a platform team already runs before aks-bootstrap comes along, made through the public
 * ARM API with the SDK clients (as the team would have): in rg-platform, a ready AKS cluster,
 * a legacy one without the OIDC issuer, a registry, an RBAC Key Vault, a workspace and an
 * Application Insights component on it. Safe to
 * repeat (every call is a PUT).
 */
export async function seedPlatform(sandbox: Sandbox): Promise<PlatformResources> {
  const azure = createAzureClients(sandbox.target());
  const { location } = sandbox;
  const tags = { team: "platform" };
  await azure.resources.resourceGroups.createOrUpdate(PLATFORM_GROUP, { location, tags });
  const cluster = (name: string, ready: boolean) =>
    azure.aks.managedClusters.beginCreateOrUpdateAndWait(
      PLATFORM_GROUP,
      name,
      clusterBody(location, name, ready),
      azure.lro,
    );
  const [ready, legacy, registry, vault, workspace] = await Promise.all([
    cluster("aks-platform-shared", true),
    cluster("aks-platform-legacy", false),
    azure.registry.registries.beginCreateAndWait(
      PLATFORM_GROUP,
      `crplatform${sandbox.subscriptionId.replace(/-/g, "").slice(0, 8)}`,
      { location, sku: { name: "Standard" }, adminUserEnabled: false, tags },
      azure.lro,
    ),
    azure.keyVault.vaults.beginCreateOrUpdateAndWait(
      PLATFORM_GROUP,
      `kv-platform-${sandbox.subscriptionId.slice(0, 8)}`,
      {
        location,
        tags,
        properties: {
          tenantId: sandbox.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
        },
      },
      azure.lro,
    ),
    azure.logs.workspaces.beginCreateOrUpdateAndWait(
      PLATFORM_GROUP,
      "log-platform",
      { location, sku: { name: "PerGB2018" }, tags },
      azure.lro,
    ),
  ]);
  const appInsights = await azure.appInsights.components.createOrUpdate(PLATFORM_GROUP, "appi-platform", {
    location,
    kind: "web",
    applicationType: "web",
    workspaceResourceId: workspace.id!,
    tags,
  });
  return {
    appInsights: appInsights.id!,
    cluster: ready.id!,
    legacyCluster: legacy.id!,
    registry: registry.id!,
    vault: vault.id!,
    workspace: workspace.id!,
  };
}
