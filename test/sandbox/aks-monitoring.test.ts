import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients, type AzureClients } from "../../src/clients/azure.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox, rawRequest, rejection, traffic } from "./helpers.js";

const RG = "rg-demo-prod";

describe("sandbox AKS and monitoring through the real SDK clients", () => {
  let sandbox: Sandbox;
  let az: AzureClients;
  let workspaceId = "";
  let clusterId = "";
  beforeAll(async () => {
    sandbox = await fastSandbox();
    az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate(RG, { location: "westeurope" });
  });
  afterAll(() => sandbox?.close());

  it("creates a Log Analytics workspace and a workspace-based Application Insights component", async () => {
    const ws = await az.logs.workspaces.beginCreateOrUpdateAndWait(
      RG,
      "log-demo-prod",
      { location: "westeurope", retentionInDays: 30, sku: { name: "PerGB2018" } },
      az.lro,
    );
    workspaceId = ws.id ?? "";
    expect(ws.customerId).toMatch(/^[0-9a-f-]{36}$/);
    const appi = await az.appInsights.components.createOrUpdate(RG, "appi-demo-prod", {
      location: "westeurope",
      kind: "web",
      applicationType: "web",
      workspaceResourceId: workspaceId,
    });
    expect(appi.connectionString).toMatch(/^InstrumentationKey=[0-9a-f-]{36};IngestionEndpoint=https:\/\//);
    expect(appi.workspaceResourceId).toBe(workspaceId);
  });

  it("lists supported Kubernetes versions and rejects an unsupported one", async () => {
    const versions = await az.aks.managedClusters.listKubernetesVersions("westeurope");
    expect(versions.values?.map((v) => v.version)).toContain("1.32");
    const err = await rejection(
      az.aks.managedClusters.beginCreateOrUpdateAndWait(
        RG,
        "aks-bad-version",
        {
          location: "westeurope",
          kubernetesVersion: "1.20.0",
          dnsPrefix: "bad",
          identity: { type: "SystemAssigned" },
          agentPoolProfiles: [{ name: "system", mode: "System", count: 1, vmSize: "Standard_D2s_v5" }],
        },
        az.lro,
      ),
    );
    expect(err.code).toBe("K8sVersionNotSupported");
  });

  it("creates a managed cluster as a long-running operation, polled to Succeeded", async () => {
    // Given the recorded shape: 201 + Azure-AsyncOperation, InProgress polls, then a final GET
    const cluster = await az.aks.managedClusters.beginCreateOrUpdateAndWait(
      RG,
      "aks-demo-prod",
      {
        location: "westeurope",
        kubernetesVersion: "1.32",
        dnsPrefix: "aks-demo-prod",
        identity: { type: "SystemAssigned" },
        agentPoolProfiles: [
          { name: "system", mode: "System", count: 2, vmSize: "Standard_D4ds_v5", osType: "Linux" },
        ],
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        aadProfile: { managed: true, enableAzureRbac: true },
        disableLocalAccounts: true,
        addonProfiles: {
          omsagent: {
            enabled: true,
            config: { logAnalyticsWorkspaceResourceID: workspaceId, useAADAuth: "true" },
          },
        },
        tags: { app: "demo" },
      },
      az.lro,
    );
    clusterId = cluster.id ?? "";
    expect(cluster.provisioningState).toBe("Succeeded");
    expect(cluster.currentKubernetesVersion).toBe("1.32.7");
    expect(cluster.aadProfile?.enableAzureRbac).toBe(true);
    expect(cluster.disableLocalAccounts).toBe(true);
    expect(cluster.securityProfile?.workloadIdentity?.enabled).toBe(true);
    expect(cluster.oidcIssuerProfile?.issuerURL).toMatch(
      /^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//,
    );
    expect(cluster.identityProfile?.["kubeletidentity"]?.objectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(cluster.addonProfiles?.["omsagent"]?.config?.["logAnalyticsWorkspaceResourceID"]).toBe(
      workspaceId,
    );
    const log = traffic(sandbox);
    const put = log.find((e) => e.method === "PUT" && e.url.includes("/managedClusters/aks-demo-prod"));
    expect(put?.status).toBe(201);
    expect(
      (put?.responseBody as { properties: { provisioningState: string } }).properties.provisioningState,
    ).toBe("Creating");
    expect(put?.responseHeaders?.["Azure-AsyncOperation"]).toMatch(
      /\/providers\/Microsoft\.ContainerService\/locations\/westeurope\/operations\/[0-9a-f-]+\?api-version=2017-08-31$/,
    );
    const polls = log.filter((e) => e.url.includes("/operations/"));
    expect(polls.map((e) => (e.responseBody as { status: string }).status)).toContain("InProgress");
    expect((polls.at(-1)?.responseBody as { status: string }).status).toBe("Succeeded");
    // AKS made the node resource group and the kubelet identity in it, readable by its resourceId
    const kubeletId = cluster.identityProfile?.["kubeletidentity"]?.resourceId ?? "";
    const [, , , , nodeRg, , , , idName] = kubeletId.split("/");
    const kubeletUai = await az.msi.userAssignedIdentities.get(nodeRg!, idName!);
    expect(kubeletUai.principalId).toBe(cluster.identityProfile?.["kubeletidentity"]?.objectId);
    // The kubelet identity can receive a role right away (it is a known principal)
    const kubelet = cluster.identityProfile?.["kubeletidentity"]?.objectId ?? "";
    const ra = await az.authorization.roleAssignments.create(
      clusterId,
      "0f6a3e1e-3c3e-4f7e-9d7b-1a2b3c4d5e6f",
      {
        roleDefinitionId: `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4abbcc35-e782-43d8-92c5-2d3f1bd2253f`,
        principalId: kubelet,
      },
    );
    expect(ra.principalId).toBe(kubelet);
  });

  it("creates a Container Insights data collection rule and associates it with the cluster", async () => {
    const dcr = await az.monitor.dataCollectionRules.create(RG, "MSCI-westeurope-aks-demo-prod", {
      body: {
        location: "westeurope",
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
        destinations: { logAnalytics: [{ name: "ciworkspace", workspaceResourceId: workspaceId }] },
        dataFlows: [
          { streams: ["Microsoft-ContainerInsights-Group-Default"], destinations: ["ciworkspace"] },
        ],
      },
    });
    expect(dcr.immutableId).toMatch(/^dcr-[0-9a-f]{32}$/);
    const assoc = await az.monitor.dataCollectionRuleAssociations.create(
      clusterId,
      "ContainerInsightsExtension",
      {
        body: { dataCollectionRuleId: dcr.id },
      },
    );
    expect(assoc.dataCollectionRuleId).toBe(dcr.id);
    const got = await az.monitor.dataCollectionRuleAssociations.get(clusterId, "ContainerInsightsExtension");
    expect(got.id).toBe(
      `${clusterId}/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsExtension`,
    );
  });

  it("refuses what AKS refuses on update: a downgrade, disabling the OIDC issuer", async () => {
    const current = await az.aks.managedClusters.get(RG, "aks-demo-prod");
    const downgrade = await rejection(
      az.aks.managedClusters.beginCreateOrUpdateAndWait(
        RG,
        "aks-demo-prod",
        { ...current, kubernetesVersion: "1.31" },
        az.lro,
      ),
    );
    expect(downgrade.code).toBe("NotAllowedToDowngrade");
    const profile = await az.aks.managedClusters.getUpgradeProfile(RG, "aks-demo-prod");
    expect(profile.controlPlaneProfile.upgrades?.map((u) => u.kubernetesVersion)).toEqual([
      "1.33.1",
      "1.33.2",
      "1.33.3",
    ]);
    const pools = [];
    for await (const pool of az.aks.agentPools.list(RG, "aks-demo-prod")) pools.push(pool.name);
    expect(pools).toEqual(["system"]);
    const skip = await rejection(
      az.aks.managedClusters.beginCreateOrUpdateAndWait(
        RG,
        "aks-demo-prod",
        { ...current, kubernetesVersion: "1.34" },
        az.lro,
      ),
    );
    expect(skip.code).toBe("OperationNotAllowed");
    expect(skip.message).toContain("Available upgrades: [1.33.3 1.33.2 1.33.1]");
    const oidcOff = await rejection(
      az.aks.managedClusters.beginCreateOrUpdateAndWait(
        RG,
        "aks-demo-prod",
        {
          ...current,
          oidcIssuerProfile: { enabled: false },
          securityProfile: { workloadIdentity: { enabled: false } },
        },
        az.lro,
      ),
    );
    expect(oidcOff.statusCode).toBe(400);
  });

  it("deletes a managed cluster as a long-running operation", async () => {
    const spare = await az.aks.managedClusters.beginCreateOrUpdateAndWait(
      RG,
      "aks-spare",
      {
        location: "westeurope",
        dnsPrefix: "spare",
        identity: { type: "SystemAssigned" },
        agentPoolProfiles: [{ name: "system", mode: "System", count: 1, vmSize: "Standard_D2s_v5" }],
      },
      az.lro,
    );
    expect(spare.provisioningState).toBe("Succeeded");
    await az.aks.managedClusters.beginDeleteAndWait(RG, "aks-spare", az.lro);
    const gone = await rejection(az.aks.managedClusters.get(RG, "aks-spare"));
    expect(gone.code).toBe("ResourceNotFound");
    const del = traffic(sandbox).find(
      (e) => e.method === "DELETE" && e.url.includes("/managedClusters/aks-spare"),
    );
    expect(del?.status).toBe(202);
  });

  it("deletes a resource group as 202 + Location and removes what it held", async () => {
    await az.resources.resourceGroups.beginDeleteAndWait(RG, az.lro);
    expect((await az.resources.resourceGroups.checkExistence(RG)).body).toBe(false);
    const err = await rejection(az.aks.managedClusters.get(RG, "aks-demo-prod"));
    expect(err.code).toBe("ResourceGroupNotFound");
    const del = traffic(sandbox).find(
      (e) => e.method === "DELETE" && new URL(e.url).pathname.toLowerCase().endsWith(`/resourcegroups/${RG}`),
    );
    expect(del?.status).toBe(202);
    expect(del?.responseHeaders?.["Location"]).toContain("/operationresults/");
  });
});

describe("a managed cluster still being created", () => {
  it("refuses a second PUT with 409 OperationNotAllowed and reports Creating", async () => {
    // Given a slow sandbox (speed 1: Azure's real 270 s), When a create is accepted
    const slow = await fastSandbox({ speed: 1 });
    try {
      const az = createAzureClients(slow.target());
      await az.resources.resourceGroups.createOrUpdate("rg-slow", { location: "westeurope" });
      const url = `${slow.endpoints.arm}/subscriptions/${slow.subscriptionId}/resourceGroups/rg-slow/providers/Microsoft.ContainerService/managedClusters/aks-slow?api-version=2026-06-01`;
      const body = {
        location: "westeurope",
        identity: { type: "SystemAssigned" },
        properties: {
          dnsPrefix: "slow",
          agentPoolProfiles: [{ name: "system", mode: "System", count: 1, vmSize: "Standard_D2s_v5" }],
        },
      };
      const first = await rawRequest(slow, "PUT", url, body);
      expect(first.status).toBe(201);
      expect(first.headers["azure-asyncoperation"]).toBeDefined();
      // Then the cluster reads as Creating and a second PUT is refused until it finishes
      expect((await az.aks.managedClusters.get("rg-slow", "aks-slow")).provisioningState).toBe("Creating");
      const second = await rawRequest(slow, "PUT", url, body);
      expect(second.status).toBe(409);
      expect((second.body as { error: { code: string } }).error.code).toBe("OperationNotAllowed");
    } finally {
      await slow.close();
    }
  });
});
