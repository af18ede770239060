import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createAzureClients } from "../../src/clients/azure.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { keys, PtySession } from "../helpers/pty.js";

/**
 * Given a subscription where a platform team already runs two AKS clusters (one ready for
 * workload identity, one without the OIDC issuer), When a user answers the wizard in a real
 * terminal, Then it offers them (saying what the legacy one lacks), the plan shows the chosen
 * one as "use existing", and the saved answers name it by resource id.
 */
describe("the wizard offers existing clusters found in the subscription (pty, sandbox)", () => {
  const cwd = mkdtempSync(join(tmpdir(), "aksb-pty-existing-"));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("offers them, plans 'use existing' for the chosen one, and saves its id", async () => {
    const sandbox = await startSandbox({ dir: join(cwd, ".sandbox") });
    let shared: string;
    try {
      const azure = createAzureClients(sandbox.target());
      await azure.resources.resourceGroups.createOrUpdate("rg-platform", { location: sandbox.location });
      const make = async (name: string, ready: boolean) =>
        (
          await azure.aks.managedClusters.beginCreateOrUpdateAndWait(
            "rg-platform",
            name,
            {
              location: sandbox.location,
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
            },
            azure.lro,
          )
        ).id!;
      await make("aks-legacy", false);
      shared = await make("aks-shared", true);
    } finally {
      await sandbox.close();
    }

    const s = new PtySession(["--sandbox"], { cwd });
    try {
      const answer = async (prompt: RegExp | string, input = "") => {
        await s.waitFor(prompt);
        s.write(input + keys.enter);
      };
      await s.waitFor(/Signed in as/);
      await answer(/\? Region/);
      await answer(/\? App name/);
      await s.waitFor(/Found in the subscription: 2 AKS clusters/);
      await answer(/\? Use some of them instead of creating new ones\?/, "y");
      await s.waitFor(/\? Staging AKS cluster/);
      await s.waitFor(/create new: aks-demo-staging/);
      await s.waitFor(/use aks-legacy \(rg-platform\): the OIDC issuer, workload identity/);
      // Down past the legacy cluster to the ready one.
      s.write(keys.down);
      s.write(keys.down);
      await answer(/❯ use aks-shared \(rg-platform\)/);
      await answer(/\? Production AKS cluster/);
      await answer(/\? Azure DevOps organization URL/);
      await answer(/\? New project name/);
      await answer(/\? New repository name/);
      await answer(/\? Pause for a manual validation before production\?/);
      await answer(/\? Who validates/);
      await answer(/\? Production approvers/);
      await answer(/\? Add another secret\?/);
      await answer(/\? Value of integration-db-password/, "pty-existing-secret-1");
      await s.waitFor(/Review/);
      await s.waitFor(/aks-shared, aks-demo-prod/);
      await answer(/\? Save these answers and continue\?/);
      await s.waitFor(/Plan: \d+ to create/);
      await s.waitFor(/AKS cluster aks-shared \(existing, in rg-platform\)/);
      await s.waitFor(/note: use existing \/subscriptions\//);
      await answer(/\? Apply these changes\?/, "n");
      expect(await s.exited).toBe(0);
      expect(s.screen()).not.toMatch(/\+ create AKS cluster aks-demo-staging/);
    } finally {
      s.kill();
    }
    const saved = parse(readFileSync(join(cwd, "aks-bootstrap.yaml"), "utf8")) as {
      azure: { existing?: Record<string, string> };
    };
    expect(saved.azure.existing).toEqual({ clusterStaging: shared });
  });
});
