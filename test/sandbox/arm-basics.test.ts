import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients, type AzureClients } from "../../src/clients/azure.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox, rawRequest, rejection, traffic } from "./helpers.js";

const tags = { "managed-by": "aks-bootstrap", app: "demo" };

describe("sandbox ARM through the real Azure SDK clients", () => {
  let sandbox: Sandbox;
  let az: AzureClients;
  beforeAll(async () => {
    sandbox = await fastSandbox();
    az = createAzureClients(sandbox.target());
  });
  afterAll(() => sandbox?.close());

  it("creates, reads and reports an absent resource group", async () => {
    // Given no resource group, When one is created
    const rg = await az.resources.resourceGroups.createOrUpdate("rg-demo-nonprod", {
      location: "westeurope",
      tags,
    });
    // Then it reads back with its tags, and an unknown one is a 404 ResourceGroupNotFound
    expect(rg.properties?.provisioningState).toBe("Succeeded");
    const got = await az.resources.resourceGroups.get("RG-DEMO-NONPROD");
    expect(got.tags).toEqual(tags);
    expect((await az.resources.resourceGroups.checkExistence("rg-demo-nonprod")).body).toBe(true);
    expect((await az.resources.resourceGroups.checkExistence("rg-absent")).body).toBe(false);
    const typo = await rejection(
      az.resources.resourceGroups.createOrUpdate("rg-typo", { location: "westeuorpe" }),
    );
    expect(typo.code).toBe("LocationNotAvailableForResourceGroup");
    const badTag = await rejection(
      az.resources.resourceGroups.createOrUpdate("rg-tags", { location: "westeurope", tags: { "a/b": "x" } }),
    );
    expect(badTag.code).toBe("InvalidTagNameCharacters");
    const err = await rejection(az.resources.resourceGroups.get("rg-absent"));
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe("ResourceGroupNotFound");
  });

  it("creates a container registry with polling, and rejects a bad name", async () => {
    const reg = await az.registry.registries.beginCreateAndWait(
      "rg-demo-nonprod",
      "crdemononprod1234",
      { location: "westeurope", sku: { name: "Standard" }, adminUserEnabled: false, tags },
      az.lro,
    );
    expect(reg.provisioningState).toBe("Succeeded");
    expect(reg.loginServer).toBe("crdemononprod1234.azurecr.io");
    const avail = await az.registry.registries.checkNameAvailability({
      name: "crdemononprod1234",
      type: "Microsoft.ContainerRegistry/registries",
    });
    expect(avail.nameAvailable).toBe(false);
    // A name someone else in Azure owns (every "taken*" name in the sandbox)
    const elsewhere = await az.registry.registries.checkNameAvailability({
      name: "takenregistry1",
      type: "Microsoft.ContainerRegistry/registries",
    });
    expect(elsewhere).toMatchObject({ nameAvailable: false, reason: "AlreadyExists" });
    const clash = await rejection(
      az.registry.registries.beginCreateAndWait(
        "rg-demo-nonprod",
        "takenregistry1",
        { location: "westeurope", sku: { name: "Basic" } },
        az.lro,
      ),
    );
    expect(clash.statusCode).toBe(409);
    const err = await rejection(
      az.registry.registries.beginCreateAndWait(
        "rg-demo-nonprod",
        "cr-bad!",
        { location: "westeurope", sku: { name: "Basic" } },
        az.lro,
      ),
    );
    expect(err.code).toBe("InvalidResourceName");
    const absent = await rejection(az.registry.registries.get("rg-demo-nonprod", "crabsent99"));
    expect(absent.statusCode).toBe(404);
    expect(absent.code).toBe("ResourceNotFound");
  });

  it("creates an identity with a federated credential and assigns it a role once", async () => {
    const id = await az.msi.userAssignedIdentities.createOrUpdate("rg-demo-nonprod", "id-demo-ci", {
      location: "westeurope",
      tags,
    });
    expect(id.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(id.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(id.tenantId).toBe(sandbox.tenantId);
    const fic = await az.msi.federatedIdentityCredentials.createOrUpdate(
      "rg-demo-nonprod",
      "id-demo-ci",
      "sc-demo-ci",
      {
        issuer: "https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000",
        subject: "sc://sandbox-org/demo/sc-demo-ci",
        audiences: ["api://AzureADTokenExchange"],
      },
    );
    expect(fic.subject).toBe("sc://sandbox-org/demo/sc-demo-ci");
    const registry = await az.registry.registries.get("rg-demo-nonprod", "crdemononprod1234");
    const roleDefinitionId = `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/8311e382-0749-4cb8-b61a-304f252e45ec`;
    const ra = await az.authorization.roleAssignments.create(
      registry.id!,
      "6f1d6a38-2a61-4b2c-9d38-7a9ad6a0c001",
      {
        roleDefinitionId,
        principalId: id.principalId!,
        principalType: "ServicePrincipal",
      },
    );
    expect(ra.scope).toBe(registry.id);
    // Same principal + role + scope under another name: 409 RoleAssignmentExists
    const dup = await rejection(
      az.authorization.roleAssignments.create(registry.id!, "6f1d6a38-2a61-4b2c-9d38-7a9ad6a0c002", {
        roleDefinitionId,
        principalId: id.principalId!,
      }),
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.code).toBe("RoleAssignmentExists");
    const unknown = await rejection(
      az.authorization.roleAssignments.create(registry.id!, "6f1d6a38-2a61-4b2c-9d38-7a9ad6a0c003", {
        roleDefinitionId,
        principalId: "11111111-2222-3333-4444-555555555555",
      }),
    );
    expect(unknown.code).toBe("PrincipalNotFound");
    const wrongType = await rejection(
      az.authorization.roleAssignments.create(registry.id!, "6f1d6a38-2a61-4b2c-9d38-7a9ad6a0c004", {
        roleDefinitionId,
        principalId: id.principalId!,
        principalType: "User",
      }),
    );
    expect(wrongType.code).toBe("UnmatchedPrincipalType");
    const listed = [];
    for await (const a of az.authorization.roleAssignments.listForScope(registry.id!, {
      filter: `atScope() and principalId eq '${id.principalId!}'`,
    }))
      listed.push(a);
    expect(listed.map((a) => a.name)).toEqual(["6f1d6a38-2a61-4b2c-9d38-7a9ad6a0c001"]);
    const acrPull = await az.authorization.roleDefinitions.get(
      `/subscriptions/${sandbox.subscriptionId}`,
      "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    );
    expect(acrPull.roleName).toBe("AcrPull");
  });

  it("gives the caller Owner permissions and rejects a PUT with a missing required field", async () => {
    const perms = [];
    for await (const p of az.authorization.permissions.listForResourceGroup("rg-demo-nonprod")) perms.push(p);
    expect(perms.flatMap((p) => p.actions ?? [])).toContain("*");
    // When a registry PUT omits the required sku (the SDK cannot even build it, so send it raw)
    const url = `${sandbox.endpoints.arm}/subscriptions/${sandbox.subscriptionId}/resourceGroups/rg-demo-nonprod/providers/Microsoft.ContainerRegistry/registries/crmissingsku1?api-version=2025-11-01`;
    const res = await rawRequest(sandbox, "PUT", url, { location: "westeurope" });
    // Then ARM's deserializer error comes back
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string } }).error.code).toBe("InvalidRequestContent");
    // The traffic log never holds the bearer token.
    expect(traffic(sandbox).every((e) => !JSON.stringify(e).includes("eyJ"))).toBe(true);
  });
});
