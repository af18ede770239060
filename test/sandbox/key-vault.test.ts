import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients, type AzureClients } from "../../src/clients/azure.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox, grantSecretsOfficer, rawRequest, rejection, traffic } from "./helpers.js";

const SECRET_VALUE = "s3cr3t-value-that-must-never-leak";

describe("sandbox Key Vault: management plane and secrets data plane", () => {
  let sandbox: Sandbox;
  let az: AzureClients;
  let vaultUri = "";
  let vaultId = "";
  beforeAll(async () => {
    sandbox = await fastSandbox();
    az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate("rg-kv", { location: "westeurope" });
  });
  afterAll(() => sandbox?.close());

  it("creates an RBAC vault with purge protection and a vaultUri", async () => {
    const vault = await az.keyVault.vaults.beginCreateOrUpdateAndWait(
      "rg-kv",
      "kv-demo-ci-1234",
      {
        location: "westeurope",
        properties: {
          tenantId: sandbox.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enablePurgeProtection: true,
        },
      },
      az.lro,
    );
    vaultUri = vault.properties.vaultUri ?? "";
    vaultId = vault.id ?? "";
    expect(vaultUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(vault.properties.enableSoftDelete).toBe(true);
    const taken = await az.keyVault.vaults.checkNameAvailability({
      name: "kv-demo-ci-1234",
      type: "Microsoft.KeyVault/vaults",
    });
    expect(taken.nameAvailable).toBe(false);
    const bad = await rejection(
      az.keyVault.vaults.beginCreateOrUpdateAndWait(
        "rg-kv",
        "kv--bad",
        {
          location: "westeurope",
          properties: { tenantId: sandbox.tenantId, sku: { family: "A", name: "standard" } },
        },
        az.lro,
      ),
    );
    expect(bad.code).toBe("VaultNameNotValid");
  });

  it("answers the first, token-less request with the 401 challenge", async () => {
    const { request } = await import("node:https");
    const status = await new Promise<{ status: number; challenge: string }>((resolve, reject) => {
      const req = request(
        `${vaultUri}secrets/x?api-version=2025-07-01`,
        { method: "GET", ca: sandbox.caPem },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, challenge: String(res.headers["www-authenticate"] ?? "") });
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status.status).toBe(401);
    expect(status.challenge).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${sandbox.tenantId}", resource="https://vault.azure.net"`,
    );
  });

  it("refuses data-plane access until a data role is assigned and has propagated (RBAC vault)", async () => {
    // Given the caller is subscription Owner (no data actions), When it sets a secret
    const denied = await rejection(az.secrets(vaultUri).setSecret("early", "nope-value-1"));
    // Then Key Vault answers 403 ForbiddenByRbac, as the service does
    expect(denied.statusCode).toBe(403);
    expect(denied.code).toBe("Forbidden");
    // When Key Vault Secrets Officer is assigned at the vault, Then access follows once propagated
    await grantSecretsOfficer(sandbox, vaultId, vaultUri);
  });

  it("sets, gets and lists secret versions through SecretClient; the value never reaches logs or state", async () => {
    const secrets = az.secrets(vaultUri);
    const v1 = await secrets.setSecret("integration-db-password", "first-value-xyz");
    const v2 = await secrets.setSecret("integration-db-password", SECRET_VALUE);
    expect(v2.properties.version).not.toBe(v1.properties.version);
    expect((await secrets.getSecret("integration-db-password")).value).toBe(SECRET_VALUE);
    expect(
      (await secrets.getSecret("integration-db-password", { version: v1.properties.version! })).value,
    ).toBe("first-value-xyz");
    const versions = [];
    for await (const p of secrets.listPropertiesOfSecretVersions("integration-db-password"))
      versions.push(p.version);
    expect(versions).toHaveLength(2);
    const absent = await rejection(secrets.getSecret("absent-secret"));
    expect(absent.statusCode).toBe(404);
    expect(absent.code).toBe("SecretNotFound");
    // Then no secret value appears in the traffic log, state.json or state()
    const log = readFileSync(sandbox.trafficLogPath, "utf8");
    expect(log).not.toContain(SECRET_VALUE);
    expect(log).not.toContain("first-value-xyz");
    expect(traffic(sandbox).some((e) => e.service === "vault" && e.status === 200)).toBe(true);
    expect(readFileSync(`${sandbox.dir}/state.json`, "utf8")).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(sandbox.state())).not.toContain(SECRET_VALUE);
  });

  it("soft-deletes secrets and vaults, and recovers a vault with createMode recover", async () => {
    const secrets = az.secrets(vaultUri);
    const poller = await secrets.beginDeleteSecret("integration-db-password", { intervalInMs: 5 });
    const deleted = await poller.pollUntilDone();
    expect(deleted.recoveryId).toContain("/deletedsecrets/integration-db-password");
    await az.keyVault.vaults.delete("rg-kv", "kv-demo-ci-1234");
    const gone = await az.keyVault.vaults.getDeleted("kv-demo-ci-1234", "westeurope");
    expect(gone.properties?.purgeProtectionEnabled).toBe(true);
    const conflict = await rejection(
      az.keyVault.vaults.beginCreateOrUpdateAndWait(
        "rg-kv",
        "kv-demo-ci-1234",
        {
          location: "westeurope",
          properties: { tenantId: sandbox.tenantId, sku: { family: "A", name: "standard" } },
        },
        az.lro,
      ),
    );
    expect(conflict.statusCode).toBe(409);
    const recovered = await az.keyVault.vaults.beginCreateOrUpdateAndWait(
      "rg-kv",
      "kv-demo-ci-1234",
      {
        location: "westeurope",
        properties: {
          tenantId: sandbox.tenantId,
          sku: { family: "A", name: "standard" },
          createMode: "recover",
        },
      },
      az.lro,
    );
    expect(recovered.properties.enablePurgeProtection).toBe(true);
    const res = await rawRequest(
      sandbox,
      "GET",
      `${recovered.properties.vaultUri}deletedsecrets/integration-db-password?api-version=2025-07-01`,
      undefined,
      "https://vault.azure.net/.default",
    );
    expect(res.status).toBe(200);
  });
});
