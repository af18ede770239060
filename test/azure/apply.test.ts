import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRun, planRun, type RunResult } from "../../src/engine/runner.js";
import { broadRoles } from "../../steps/azure/roles.js";
import {
  managedResources as resources,
  startAzureBed,
  testSecrets,
  traffic,
  trafficText,
  type AzureBed,
} from "./harness.js";

/**
 * Given an empty subscription, When the Azure steps are applied, Then exactly the objects of
 * ARCHITECTURE.md section 2 exist with the least-privilege roles; and a rerun plans nothing
 * while reading each managed object at most once.
 */
describe("fresh apply and rerun", () => {
  let bed: AzureBed;
  let before: Set<string>;
  let first: RunResult;
  beforeAll(async () => {
    bed = await startAzureBed();
    before = new Set(resources(bed.sandbox).map((r) => r.id.toLowerCase()));
    first = await applyRun(bed.steps());
  });
  afterAll(() => bed?.close());

  it("succeeds", () => {
    expect(first.failed).toEqual([]);
    expect(first.outcome).toBe("succeeded");
  });

  it("creates exactly the expected resources", () => {
    const created = resources(bed.sandbox).filter((r) => !before.has(r.id.toLowerCase()));
    const byType = (type: string) =>
      created
        .filter((r) => r.type.toLowerCase() === type.toLowerCase())
        .map((r) => r.id.split("/").pop())
        .sort();
    const n = bed.deps.names;
    expect(byType("Microsoft.Resources/resourceGroups")).toEqual(
      [n.resourceGroupNonprod, n.resourceGroupProd].sort(),
    );
    expect(byType("Microsoft.OperationalInsights/workspaces")).toEqual(
      [n.workspaceNonprod, n.workspaceProd].sort(),
    );
    expect(byType("Microsoft.Insights/components")).toEqual([n.appInsightsProd, n.appInsightsStaging].sort());
    expect(byType("Microsoft.ContainerRegistry/registries")).toEqual(
      [n.registryNonprod, n.registryProd].sort(),
    );
    expect(byType("Microsoft.KeyVault/vaults")).toEqual([n.keyVault]);
    expect(byType("Microsoft.ContainerService/managedClusters")).toEqual(
      [n.clusterProd, n.clusterStaging].sort(),
    );
    expect(byType("Microsoft.Insights/dataCollectionRules")).toEqual(
      [`MSCI-westeurope-${n.clusterProd}`, `MSCI-westeurope-${n.clusterStaging}`].sort(),
    );
    expect(byType("Microsoft.Insights/dataCollectionRuleAssociations")).toEqual([
      "ContainerInsightsExtension",
      "ContainerInsightsExtension",
    ]);
    expect(byType("Microsoft.ManagedIdentity/userAssignedIdentities")).toEqual(
      [n.identityCi, n.identityProd, n.identityStaging].sort(),
    );
    // 10 from the least-privilege table + the operator's Key Vault Secrets Officer.
    expect(byType("Microsoft.Authorization/roleAssignments")).toHaveLength(11);
    const others = created.filter(
      (r) =>
        ![
          "microsoft.resources/resourcegroups",
          "microsoft.operationalinsights/workspaces",
          "microsoft.insights/components",
          "microsoft.containerregistry/registries",
          "microsoft.keyvault/vaults",
          "microsoft.containerservice/managedclusters",
          "microsoft.insights/datacollectionrules",
          "microsoft.insights/datacollectionruleassociations",
          "microsoft.managedidentity/userassignedidentities",
          "microsoft.authorization/roleassignments",
        ].includes(r.type.toLowerCase()),
    );
    expect(others.map((r) => r.id)).toEqual([]);
  });

  it("grants only the least-privilege table: nothing at subscription scope, nothing broad", () => {
    const assignments = resources(bed.sandbox)
      .filter((r) => !before.has(r.id.toLowerCase()) && r.type === "Microsoft.Authorization/roleAssignments")
      .map((r) => r.body.properties as { scope: string; roleDefinitionId: string; principalId: string });
    const sub = `/subscriptions/${bed.sandbox.subscriptionId}`.toLowerCase();
    for (const a of assignments) {
      expect(a.scope.toLowerCase()).not.toBe(sub);
      expect(a.scope.toLowerCase()).toMatch(
        /\/providers\/microsoft\.(containerregistry|keyvault|containerservice)\//,
      );
      expect(Object.values(broadRoles)).not.toContain(a.roleDefinitionId.split("/").pop());
    }
    const role = (guid: string) =>
      assignments.filter((a) => a.roleDefinitionId.endsWith(guid)).map((a) => a.scope.split("/").pop());
    const n = bed.deps.names;
    expect(role("7f951dda-4ed3-4680-a7ca-43fe172d538d").sort()).toEqual(
      [n.registryNonprod, n.registryProd].sort(),
    ); // AcrPull
    expect(role("8311e382-0749-4cb8-b61a-304f252e45ec")).toEqual([n.registryNonprod]); // AcrPush
    expect(role("4633458b-17de-408a-b874-0445c86b69e6")).toEqual([n.keyVault]); // Secrets User
    expect(role("577a9874-89fd-4f24-9dbd-b5034d0ad23a").sort()).toEqual(
      [n.registryNonprod, n.registryProd].sort(),
    );
    expect(role("4abbcc35-e782-43d8-92c5-2d3f1bd2253f").sort()).toEqual(
      [n.clusterProd, n.clusterStaging].sort(),
    );
    expect(role("a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb").sort()).toEqual(
      [n.clusterProd, n.clusterStaging].sort(),
    );
  });

  it("configures the security-relevant settings", () => {
    const all = resources(bed.sandbox);
    for (const r of all.filter((x) => x.type === "Microsoft.ContainerRegistry/registries"))
      expect(r.body.properties?.["adminUserEnabled"]).toBe(false);
    const vault = all.find((x) => x.type === "Microsoft.KeyVault/vaults")!;
    expect(vault.body.properties).toMatchObject({
      enableRbacAuthorization: true,
      enablePurgeProtection: true,
    });
    for (const c of all.filter((x) => x.type === "Microsoft.ContainerService/managedClusters")) {
      expect(c.body.properties).toMatchObject({
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        aadProfile: { managed: true, enableAzureRBAC: true },
        disableLocalAccounts: true,
        addonProfiles: { omsagent: { enabled: true, config: { useAADAuth: "true" } } },
      });
    }
    for (const r of all.filter(
      (x) =>
        !before.has(x.id.toLowerCase()) &&
        x.type !== "Microsoft.Authorization/roleAssignments" &&
        !x.type.endsWith("dataCollectionRuleAssociations"),
    ))
      expect(r.body.tags, r.id).toMatchObject({ "managed-by": "aks-bootstrap", app: "demo" });
  });

  it("never writes a secret value to the traffic log", () => {
    const log = trafficText(bed.sandbox);
    for (const value of Object.values(testSecrets)) expect(log).not.toContain(value);
  });

  it("plans all noop on rerun, reading each managed object at most once", async () => {
    const from = traffic(bed.sandbox).length;
    const plan = await planRun(bed.steps());
    expect(plan.failed).toEqual([]);
    const changed = [...plan.changes].filter(([, c]) => c.kind !== "noop");
    expect(changed).toEqual([]);
    const reads = traffic(bed.sandbox, from).filter(
      (t) => t.method === "GET" && t.service !== "login" && t.status !== 401,
    );
    const perPath = new Map<string, number>();
    for (const t of reads) {
      const path = new URL(t.url).pathname.toLowerCase();
      perPath.set(path, (perPath.get(path) ?? 0) + 1);
    }
    const repeated = [...perPath].filter(([, count]) => count > 1);
    expect(repeated).toEqual([]);
  });
});
