import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/clients/azure.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import type { PlatformResources } from "../../src/sandbox/platform.js";
import { ids } from "../../steps/ids.js";
import { planEvents, run } from "./drift-harness.js";

const SPEED = "5000";

interface StateView {
  resources: Record<string, { id: string; type: string; body: Record<string, unknown> }>;
  devops: { variableGroups: Record<string, { name: string; variables: Record<string, { value?: string }> }> };
}

async function withSandbox<T>(dir: string, work: (s: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ dir, speed: Number(SPEED) });
  try {
    return await work(sandbox);
  } finally {
    await sandbox.close();
  }
}

const state = (dir: string) => withSandbox(dir, async (s) => s.state() as StateView);
const ofType = (s: StateView, type: string) =>
  Object.values(s.resources).filter((r) => r.type.toLowerCase() === type.toLowerCase());
const assignmentsOn = (s: StateView, scope: string) =>
  ofType(s, "Microsoft.Authorization/roleAssignments").filter(
    (r) => String((r.body["properties"] as { scope?: string }).scope).toLowerCase() === scope.toLowerCase(),
  );

/**
 * Given a platform team's resource group (another group than aks-bootstrap's) holding an AKS
 * cluster ready for workload identity, one without the OIDC issuer, and a registry, all made
 * with the SDK before aks-bootstrap runs, When the answers name them under azure.existing,
 * Then the plan uses them, apply creates no cluster or registry in their place and grants its
 * roles on them, and destroy removes those grants but keeps the resources and says so.
 */
describe("existing clusters and registries (azure.existing), through the CLI", () => {
  let dir: string;
  let sandboxDir: string;
  let ready: string;
  let legacy: string;
  let registry: string;
  let workspace: string;
  let vault: string;
  let appInsights: string;
  let before: StateView;
  const flags = (answers: string) => [
    `--sandbox=${sandboxDir}`,
    "--non-interactive",
    "--speed",
    SPEED,
    "--answers",
    answers,
  ];
  const answers = (file: string, existing: Record<string, string>) => {
    const lines = Object.entries(existing).map(([k, v]) => `    ${k}: "${v}"`);
    writeFileSync(join(dir, file), ["azure:", "  existing:", ...lines, ""].join("\n"));
    return file;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aksb-existing-"));
    sandboxDir = join(dir, ".sandbox");
    // What the platform team runs, made through the CLI's `sandbox platform` (SDK clients).
    const seeded = await run(["sandbox", "platform", "--dir", sandboxDir, "--speed", SPEED], dir);
    expect(seeded.code, seeded.stderr).toBe(0);
    const platform = JSON.parse(seeded.stdout) as PlatformResources;
    ({ cluster: ready, legacyCluster: legacy, registry, workspace, vault, appInsights } = platform);
    before = await state(sandboxDir);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a malformed resource id naming the field, exit 1, no stack trace", async () => {
    const file = answers("malformed.yaml", {
      clusterStaging: registry,
      registryProd: "crplatformshared01",
    });
    const r = await run(["plan", ...flags(file)], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/azure\.existing\.clusterStaging.*resource id of an AKS cluster/);
    expect(r.stderr).toMatch(/azure\.existing\.registryProd.*resource id of a container registry/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it("stops a cluster without the OIDC issuer with the az fix, exit 1, nothing created", async () => {
    const file = answers("legacy.yaml", { clusterStaging: ready, clusterProd: legacy });
    const r = await run(["apply", ...flags(file), "--yes", "--output", "plain"], dir);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain(legacy);
    expect(out).toMatch(/does not have the OIDC issuer, workload identity, .*Azure RBAC/);
    expect(out).toContain(
      "az aks update --resource-group rg-platform --name aks-platform-legacy --enable-oidc-issuer --enable-workload-identity --enable-aad --enable-azure-rbac",
    );
    // The ready cluster is not reported.
    expect(out).not.toMatch(/aks-platform-shared \(azure\.existing\.clusterStaging\) does not/);
    const after = await state(sandboxDir);
    expect(Object.keys(after.resources).sort()).toEqual(Object.keys(before.resources).sort());
  });

  describe("with a ready cluster and a registry", () => {
    const file = () =>
      answers("existing.yaml", {
        clusterStaging: ready,
        registryNonprod: registry,
        workspaceProd: workspace,
        keyVault: vault,
        appInsightsStaging: appInsights,
      });

    it("plans 'use existing' for them instead of creating them", async () => {
      const r = await run(["plan", ...flags(file()), "--output", "json"], dir);
      expect(r.code, r.stderr).toBe(0);
      const plan = planEvents(r.stdout);
      for (const [step, id] of [
        [ids.azure.cluster("staging"), ready],
        [ids.azure.registry("nonprod"), registry],
        [ids.azure.workspace("prod"), workspace],
        [ids.azure.keyVault, vault],
        [ids.azure.appInsights("staging"), appInsights],
      ] as const) {
        expect(plan.get(step)?.kind).toBe("noop");
        expect(plan.get(step)?.notes?.join("\n")).toContain(`use existing ${id}`);
      }
      expect(plan.get(ids.azure.cluster("prod"))?.kind).toBe("create");
      expect(plan.has(ids.azure.containerInsights("staging"))).toBe(false);
      const text = await run(["plan", ...flags(file()), "--output", "plain"], dir);
      expect(text.stdout).toContain(`use existing ${ready}`);
    });

    it("apply creates no cluster or registry in their place and grants the roles on them", async () => {
      const r = await run(["apply", ...flags(file()), "--yes", "--output", "plain"], dir);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const after = await state(sandboxDir);
      const clusters = ofType(after, "Microsoft.ContainerService/managedClusters").map((c) => c.id);
      expect(clusters.map((c) => c.split("/").pop()).sort()).toEqual([
        "aks-demo-prod",
        "aks-platform-legacy",
        "aks-platform-shared",
      ]);
      const registries = ofType(after, "Microsoft.ContainerRegistry/registries").map((c) => c.id);
      expect(registries.filter((id) => /nonprod/.test(id))).toEqual([]);
      // Roles scoped to the existing resources: the staging identity on the cluster, the CI
      // identity, the staging kubelet and the prod importer on the registry.
      expect(assignmentsOn(after, ready)).toHaveLength(2);
      expect(assignmentsOn(after, registry)).toHaveLength(3);
      // The CI identity reads the secrets; the operator wrote them (Secrets Officer).
      expect(assignmentsOn(after, vault)).toHaveLength(2);
      expect(ofType(after, "Microsoft.KeyVault/vaults").map((v) => v.id)).toEqual([vault]);
      // The existing resources were not changed (no tag of ours, features as they were).
      const shared = Object.values(after.resources).find((x) => x.id === ready)!;
      expect(shared.body["tags"]).toEqual({ team: "platform" });
      // The staging variable group names the existing cluster, its group and App Insights.
      const staging = Object.values(after.devops.variableGroups).find((g) => g.name === "demo-staging")!;
      const component = Object.values(after.resources).find((x) => x.id === appInsights)!;
      expect(staging.variables["clusterName"]?.value).toBe("aks-platform-shared");
      expect(staging.variables["resourceGroup"]?.value).toBe("rg-platform");
      expect(staging.variables["appInsightsConnectionString"]?.value).toBe(
        (component.body["properties"] as { ConnectionString: string }).ConnectionString,
      );
      expect(
        ofType(after, "Microsoft.Insights/components")
          .map((c) => c.id.split("/").pop())
          .sort(),
      ).toEqual(["appi-demo-prod", "appi-platform"]);
      // The new prod cluster and App Insights report to the existing workspace.
      const prod = ofType(after, "Microsoft.ContainerService/managedClusters").find((c) =>
        c.id.endsWith("/aks-demo-prod"),
      )!;
      const addons = (
        prod.body["properties"] as { addonProfiles: Record<string, { config: Record<string, string> }> }
      ).addonProfiles;
      expect(addons["omsagent"]?.config["logAnalyticsWorkspaceResourceID"]?.toLowerCase()).toBe(
        workspace.toLowerCase(),
      );
      const appi = ofType(after, "Microsoft.Insights/components").find((c) =>
        c.id.endsWith("/appi-demo-prod"),
      )!;
      expect(
        String(
          (appi.body["properties"] as { WorkspaceResourceId: string }).WorkspaceResourceId,
        ).toLowerCase(),
      ).toBe(workspace.toLowerCase());
      expect(
        ofType(after, "Microsoft.OperationalInsights/workspaces")
          .map((w) => w.id.split("/").pop())
          .sort(),
      ).toEqual(["log-demo-nonprod", "log-platform"]);
      const rerun = await run(["plan", ...flags(file()), "--detailed-exitcode"], dir);
      expect(rerun.code, rerun.stdout).toBe(0);
    });

    it("destroy removes the grants on them, keeps them, and says so", async () => {
      const r = await run(
        ["destroy", ...flags(file()), "--yes", "--confirm", "demo", "--output", "plain"],
        dir,
      );
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const out = r.stdout + r.stderr;
      expect(out).toContain(`kept: existing AKS cluster ${ready} (not created by aks-bootstrap)`);
      expect(out).toContain(`kept: existing container registry ${registry} (not created by aks-bootstrap)`);
      const after = await state(sandboxDir);
      expect(out).toContain(
        `kept: existing Log Analytics workspace ${workspace} (not created by aks-bootstrap)`,
      );
      expect(out).toContain(`kept: existing Key Vault ${vault} (not created by aks-bootstrap)`);
      expect(assignmentsOn(after, vault)).toEqual([]);
      expect(out).toContain(
        `kept: existing Application Insights component ${appInsights} (not created by aks-bootstrap)`,
      );
      for (const id of [ready, legacy, registry, workspace, vault, appInsights])
        expect(Object.values(after.resources).some((x) => x.id === id)).toBe(true);
      expect(assignmentsOn(after, ready)).toEqual([]);
      expect(assignmentsOn(after, registry)).toEqual([]);
      expect(ofType(after, "Microsoft.ContainerService/managedClusters")).toHaveLength(2);
    });
  });

  describe("with a registry inside aks-bootstrap's own prod resource group", () => {
    let inGroup: string;
    let groupDir: string;
    const groupFlags = (file: string) => [
      `--sandbox=${groupDir}`,
      "--non-interactive",
      "--speed",
      SPEED,
      "--answers",
      file,
      "--output",
      "plain",
    ];

    beforeAll(async () => {
      groupDir = join(dir, ".sandbox-group");
      inGroup = await withSandbox(groupDir, async (sandbox) => {
        const azure = createAzureClients(sandbox.target());
        await azure.resources.resourceGroups.createOrUpdate("rg-demo-prod", { location: sandbox.location });
        const r = await azure.registry.registries.beginCreateAndWait(
          "rg-demo-prod",
          "crteamprod01",
          { location: sandbox.location, sku: { name: "Premium" } },
          azure.lro,
        );
        return r.id!;
      });
    }, 30_000);

    it("destroy keeps the group and the registry, and deletes its own resources in it one by one", async () => {
      const file = answers("in-group.yaml", { registryProd: inGroup });
      const apply = await run(["apply", ...groupFlags(file), "--yes"], dir);
      expect(apply.code, apply.stderr + apply.stdout).toBe(0);
      const r = await run(["destroy", ...groupFlags(file), "--yes", "--confirm", "demo"], dir);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(r.stdout + r.stderr).toContain(`kept: it holds existing ${inGroup}`);
      const after = await state(groupDir);
      const left = Object.values(after.resources)
        .map((x) => x.id.toLowerCase())
        .filter((id) => id.includes("/resourcegroups/rg-demo-"));
      expect(left.sort()).toEqual(
        [
          "/subscriptions/" + inGroup.split("/")[2]!.toLowerCase() + "/resourcegroups/rg-demo-prod",
          inGroup.toLowerCase(),
        ].sort(),
      );
    });
  });
});
