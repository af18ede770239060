import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients, type AzureClients } from "../../src/clients/azure.js";
import { driftSandbox } from "../../src/sandbox/drift.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox } from "./helpers.js";

const tags = { "managed-by": "aks-bootstrap", app: "demo" };

describe("sandbox drift", () => {
  let sandbox: Sandbox;
  let az: AzureClients;
  beforeAll(async () => {
    sandbox = await fastSandbox();
    az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate("rg-drift", { location: "westeurope", tags });
    await az.resources.resourceGroups.createOrUpdate("rg-not-ours", {
      location: "westeurope",
      tags: { app: "other" },
    });
    const reg = await az.registry.registries.beginCreateAndWait(
      "rg-drift",
      "crdrift0001",
      { location: "westeurope", sku: { name: "Basic" }, adminUserEnabled: false, tags },
      az.lro,
    );
    const id = await az.msi.userAssignedIdentities.createOrUpdate("rg-drift", "id-drift", {
      location: "westeurope",
      tags,
    });
    await az.msi.federatedIdentityCredentials.createOrUpdate("rg-drift", "id-drift", "sc-drift", {
      issuer: "https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000",
      subject: "sc://org/p/sc-drift",
      audiences: ["api://AzureADTokenExchange"],
    });
    await az.authorization.roleAssignments.create(reg.id!, "9b2f6c1e-1d2e-4f3a-8b9c-0d1e2f3a4b5c", {
      roleDefinitionId: `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/8311e382-0749-4cb8-b61a-304f252e45ec`,
      principalId: id.principalId!,
      principalType: "ServicePrincipal",
    });
  });
  afterAll(() => sandbox?.close());

  it("changes only managed resources, through ARM, and reports each change", async () => {
    // When a careless colleague edits things in the portal
    const changes = await driftSandbox(sandbox);
    // Then the managed ones drifted and the unmanaged group is untouched
    expect(changes.map((c) => c.change).sort()).toEqual(
      [
        "admin user enabled",
        "federated credential deleted",
        "role assignment deleted",
        "tag app changed to 'edited-in-portal'",
      ].sort(),
    );
    expect((await az.resources.resourceGroups.get("rg-drift")).tags?.["app"]).toBe("edited-in-portal");
    expect((await az.resources.resourceGroups.get("rg-not-ours")).tags).toEqual({ app: "other" });
    expect((await az.registry.registries.get("rg-drift", "crdrift0001")).adminUserEnabled).toBe(true);
    const fics = [];
    for await (const f of az.msi.federatedIdentityCredentials.list("rg-drift", "id-drift")) fics.push(f);
    expect(fics).toEqual([]);
  });
});
