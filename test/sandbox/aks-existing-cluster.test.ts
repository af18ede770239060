import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManagedCluster } from "@azure/arm-containerservice";
import { createAzureClients, type AzureClients } from "../../src/clients/azure.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox, rejection } from "./helpers.js";

const RG = "rg-platform";
const legacy: ManagedCluster = {
  location: "westeurope",
  dnsPrefix: "legacy",
  identity: { type: "SystemAssigned" },
  agentPoolProfiles: [{ name: "system", mode: "System", count: 1, vmSize: "Standard_D2s_v5" }],
};

/**
 * A cluster made before workload identity existed, as a platform team has it: the sandbox keeps
 * it as PUT (features off), lists it, answers the caller's permissions on it, and turns the
 * features on the way `az aks update --enable-oidc-issuer --enable-workload-identity
 * --enable-aad --enable-azure-rbac` does (a PUT of the cluster with them on).
 */
describe("sandbox: an existing cluster without OIDC issuer, workload identity or Entra ID", () => {
  let sandbox: Sandbox;
  let az: AzureClients;
  let id = "";
  beforeAll(async () => {
    sandbox = await fastSandbox();
    az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate(RG, { location: "westeurope" });
    id = (await az.aks.managedClusters.beginCreateOrUpdateAndWait(RG, "aks-legacy", legacy, az.lro)).id!;
  });
  afterAll(() => sandbox?.close());

  it("answers GET with the features off, and lists it in the subscription", async () => {
    const c = await az.aks.managedClusters.get(RG, "aks-legacy");
    expect(c.oidcIssuerProfile).toEqual({ enabled: false });
    expect(c.oidcIssuerProfile?.issuerURL).toBeUndefined();
    expect(c.securityProfile?.workloadIdentity?.enabled).not.toBe(true);
    expect(c.aadProfile).toBeUndefined();
    const listed: string[] = [];
    for await (const x of az.aks.managedClusters.list()) listed.push(x.id ?? "");
    expect(listed).toContain(id);
  });

  it("refuses workload identity without the OIDC issuer, as AKS does", async () => {
    const err = await rejection(
      az.aks.managedClusters.beginCreateOrUpdateAndWait(
        RG,
        "aks-legacy",
        { ...legacy, securityProfile: { workloadIdentity: { enabled: true } } },
        az.lro,
      ),
    );
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain("requires enabling OIDC issuer profile");
  });

  it("lists the caller's permissions at the cluster's scope (Owner on the subscription applies)", async () => {
    const actions: string[] = [];
    for await (const p of az.authorization.permissions.listForResource(
      RG,
      "Microsoft.ContainerService",
      "",
      "managedClusters",
      "aks-legacy",
    ))
      actions.push(...(p.actions ?? []));
    expect(actions).toContain("*");
  });

  it("gets an issuer URL when the fix turns the features on", async () => {
    const current = await az.aks.managedClusters.get(RG, "aks-legacy");
    const fixed = await az.aks.managedClusters.beginCreateOrUpdateAndWait(
      RG,
      "aks-legacy",
      {
        ...current,
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        aadProfile: { managed: true, enableAzureRbac: true },
      },
      az.lro,
    );
    expect(fixed.oidcIssuerProfile?.issuerURL).toMatch(/^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//);
    expect(fixed.securityProfile?.workloadIdentity?.enabled).toBe(true);
    expect(fixed.aadProfile).toMatchObject({ managed: true, enableAzureRbac: true });
  });
});
