import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { PlatformResources } from "../../src/sandbox/platform.js";
import { runCli } from "../helpers/cli.js";
import { keys, PtySession } from "../helpers/pty.js";

/**
 * Given a subscription where a platform team already runs two AKS clusters (one ready for
 * workload identity, one without the OIDC issuer), a registry, a vault and a workspace
 * (`sandbox platform`), When a user answers the wizard in a real
 * terminal, Then it offers them (saying what the legacy one lacks), the plan shows the chosen
 * one as "use existing", and the saved answers name it by resource id.
 */
describe("the wizard offers existing clusters found in the subscription (pty, sandbox)", () => {
  const cwd = mkdtempSync(join(tmpdir(), "aksb-pty-existing-"));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("offers them, plans 'use existing' for the chosen one, and saves its id", async () => {
    const seeded = await runCli(["sandbox", "platform", "--dir", join(cwd, ".sandbox")], { cwd });
    expect(seeded.code, seeded.stderr).toBe(0);
    const shared = (JSON.parse(seeded.stdout) as PlatformResources).cluster;

    const s = new PtySession(["--sandbox"], { cwd });
    try {
      const answer = async (prompt: RegExp | string, input = "") => {
        await s.waitFor(prompt);
        s.write(input + keys.enter);
      };
      await s.waitFor(/Signed in as/);
      await answer(/\? Region/);
      await answer(/\? App name/);
      await s.waitFor(/Found: 2 AKS clusters, 1 registry, 1 vault, 1 workspace, 1 App Insights/);
      await answer(/\? Use some of them instead of creating new ones\?/, "y");
      await s.waitFor(/\? Staging AKS cluster/);
      await s.waitFor(/create new: aks-demo-staging/);
      await s.waitFor(/use aks-platform-legacy \(rg-platform\): the OIDC issuer, workload/);
      // Down past the legacy cluster to the ready one.
      s.write(keys.down);
      s.write(keys.down);
      await answer(/❯ use aks-platform-shared \(rg-platform\)/);
      // Everything else: the default, "create new".
      for (const question of [
        "Production AKS cluster",
        "Non-production registry",
        "Production registry",
        "CI Key Vault",
        "Non-production Log Analytics workspace",
        "Production Log Analytics workspace",
        "Staging Application Insights",
        "Production Application Insights",
      ])
        await answer(`? ${question}`);
      await answer(/\? Azure DevOps organization URL/);
      await answer(/\? New project name/);
      await answer(/\? New repository name/);
      await answer(/\? Pause for a manual validation before production\?/);
      await answer(/\? Who validates/);
      await answer(/\? Production approvers/);
      await answer(/\? Add another secret\?/);
      await answer(/\? Value of integration-db-password/, "pty-existing-secret-1");
      await s.waitFor(/Review/);
      await s.waitFor(/aks-platform-shared, aks-demo-prod/);
      await answer(/\? Save these answers and continue\?/);
      await s.waitFor(/Plan: \d+ to create/);
      await s.waitFor(/AKS cluster aks-platform-shared \(existing, in rg-platform\)/);
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
