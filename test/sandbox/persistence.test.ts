import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/clients/azure.js";
import { UserError } from "../../src/engine/errors.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { loadSecrets } from "../../src/sandbox/persistence.js";
import { serveSandbox } from "../../src/sandbox/serve.js";
import { readSandboxState } from "../../src/sandbox/state-cli.js";
import { grantSecretsOfficer } from "./helpers.js";

const VALUE = "persisted-secret-value-42";

describe("sandbox state folder", () => {
  it("survives a restart: same CA, ids, resources, vault and secret", async () => {
    // Given a sandbox with a resource group, a vault and a secret
    const dir = mkdtempSync(join(tmpdir(), "sandbox-restart-"));
    const first = await startSandbox({ dir, speed: 2000 });
    const az1 = createAzureClients(first.target());
    await az1.resources.resourceGroups.createOrUpdate("rg-keep", {
      location: "westeurope",
      tags: { app: "demo" },
    });
    const vault = await az1.keyVault.vaults.beginCreateOrUpdateAndWait(
      "rg-keep",
      "kv-keep-1",
      {
        location: "westeurope",
        properties: { tenantId: first.tenantId, sku: { family: "A", name: "standard" } },
      },
      az1.lro,
    );
    await grantSecretsOfficer(first, vault.id!, vault.properties.vaultUri!);
    await az1.secrets(vault.properties.vaultUri!).setSecret("db", VALUE);
    const ca = readFileSync(first.caFile, "utf8");
    const ids = { tenantId: first.tenantId, subscriptionId: first.subscriptionId };
    await first.close();

    // When it starts again on the same folder
    const second = await startSandbox({ dir, speed: 2000 });
    try {
      const az2 = createAzureClients(second.target());
      // Then everything is still there, served with the same CA
      expect(readFileSync(second.caFile, "utf8")).toBe(ca);
      expect({ tenantId: second.tenantId, subscriptionId: second.subscriptionId }).toEqual(ids);
      expect((await az2.resources.resourceGroups.get("rg-keep")).tags).toEqual({ app: "demo" });
      const again = await az2.keyVault.vaults.get("rg-keep", "kv-keep-1");
      expect((await az2.secrets(again.properties.vaultUri!).getSecret("db")).value).toBe(VALUE);
      // And neither state.json nor `sandbox state` holds the secret value
      expect(readFileSync(join(dir, "state.json"), "utf8")).not.toContain(VALUE);
      const shown = JSON.stringify(readSandboxState(dir));
      expect(shown).toContain("kv-keep-1");
      expect(shown).not.toContain(VALUE);
    } finally {
      await second.close();
    }
  });

  it("starts afresh from a torn state file instead of crashing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-torn-"));
    writeFileSync(join(dir, "state.json"), '{"version":1,"tenantId":"abc", "resour');
    const s = await startSandbox({ dir, speed: 2000 });
    try {
      const rgs = [];
      for await (const rg of createAzureClients(s.target()).resources.resourceGroups.list()) rgs.push(rg);
      expect(rgs).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("serve prints one JSON line with every endpoint; state of an empty folder is a UserError", async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on("data", (c: Buffer) => chunks.push(c.toString()));
    const s = await serveSandbox({ speed: 2000 }, out);
    try {
      const lines = chunks.join("").split("\n").filter(Boolean);
      expect(lines).toHaveLength(1);
      const info = JSON.parse(lines[0]!) as Record<string, string>;
      expect(Object.keys(info).sort()).toEqual(
        [
          "arm",
          "caFile",
          "clientId",
          "devops",
          "dir",
          "location",
          "login",
          "organization",
          "organizationUrl",
          "subscriptionId",
          "tenantId",
          "trafficLog",
        ].sort(),
      );
      expect(info["arm"]).toBe(s.endpoints.arm);
      expect(info["organizationUrl"]).toBe(`${s.endpoints.devops}/sandbox-org`);
      expect(info["clientId"]).toBe(s.clientId);
      expect(JSON.stringify(info)).not.toContain(s.pat);
      expect(JSON.stringify(info)).not.toContain(loadSecrets(s.dir)!.clientSecret);
      // The same line (plus the pid) is kept in the folder while it runs, for `sandbox env`
      expect(JSON.parse(readFileSync(join(s.dir, "serve.json"), "utf8"))).toEqual({
        ...info,
        pid: process.pid,
      });
    } finally {
      await s.close();
    }
    expect(existsSync(join(s.dir, "serve.json"))).toBe(false);
    expect(() => readSandboxState(mkdtempSync(join(tmpdir(), "sandbox-empty-")))).toThrow(UserError);
  });
});

describe("sandbox start-up errors", () => {
  it("explains a busy port, a bad speed and a bad fault plan as UserErrors", async () => {
    const first = await startSandbox({ speed: 2000 });
    try {
      const port = Number(new URL(first.endpoints.arm).port);
      await expect(startSandbox({ port })).rejects.toThrow(
        /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/,
      );
    } finally {
      await first.close();
    }
    await expect(startSandbox({ speed: 0 })).rejects.toBeInstanceOf(UserError);
    await expect(startSandbox({ faults: "429=lots" })).rejects.toBeInstanceOf(UserError);
  });
});
