import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRun, planRun, type RunResult } from "../../src/engine/runner.js";
import type { Change } from "../../src/engine/types.js";
import { ids } from "../../steps/ids.js";
import { roleAssignmentName } from "../../steps/azure/role-assignments.js";
import { resourcesOfType, startAzureBed, type AzureBed } from "./harness.js";

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

const fieldsOf = (c: Change | undefined) => (c?.kind === "update" ? c.fields : []);

/**
 * Given a converged environment that a careless colleague changed with the SDK, When planned,
 * Then each drift is reported with its field; When applied, Then exactly those are repaired and
 * what the user legitimately owns (extra tags, extra role assignments, autoscaler node counts)
 * is left alone.
 */
describe("drift", () => {
  let bed: AzureBed;
  let plan: RunResult;
  let extraAssignmentId: string;
  beforeAll(async () => {
    bed = await startAzureBed({ app: "drift" });
    const first = await applyRun(bed.steps());
    expect(first.failed).toEqual([]);
    const { azure, names } = bed.deps;
    const lro = { updateIntervalInMs: azure.lro.updateIntervalInMs };
    // Admin user turned on.
    await azure.registry.registries.beginUpdateAndWait(
      names.resourceGroupNonprod,
      names.registryNonprod,
      { adminUserEnabled: true },
      lro,
    );
    // Monitoring addon turned off on prod; autoscaler turned on (with its own count) on staging.
    const prod = await azure.aks.managedClusters.get(names.resourceGroupProd, names.clusterProd);
    await azure.aks.managedClusters.beginCreateOrUpdateAndWait(
      names.resourceGroupProd,
      names.clusterProd,
      { ...prod, addonProfiles: { ...prod.addonProfiles, omsagent: { enabled: false } } },
      lro,
    );
    const staging = await azure.aks.managedClusters.get(names.resourceGroupNonprod, names.clusterStaging);
    await azure.aks.managedClusters.beginCreateOrUpdateAndWait(
      names.resourceGroupNonprod,
      names.clusterStaging,
      {
        ...staging,
        agentPoolProfiles: staging.agentPoolProfiles?.map((p) => ({
          ...p,
          enableAutoScaling: true,
          minCount: 1,
          maxCount: 6,
          count: 5,
        })),
      },
      lro,
    );
    // The staging kubelet's AcrPull removed.
    const registry = await azure.registry.registries.get(names.resourceGroupNonprod, names.registryNonprod);
    const kubelet = staging.identityProfile?.["kubeletidentity"]?.objectId ?? "";
    await azure.authorization.roleAssignments.delete(
      registry.id!,
      roleAssignmentName(registry.id!, kubelet, ACR_PULL),
    );
    // A secret deleted (soft delete).
    const vault = await azure.keyVault.vaults.get(names.resourceGroupNonprod, names.keyVault);
    const deleting = await azure
      .secrets(vault.properties.vaultUri!)
      .beginDeleteSecret("db-password", { intervalInMs: 5 });
    await deleting.pollUntilDone();
    // Our tag removed from a resource group, a user tag added.
    await azure.resources.resourceGroups.update(names.resourceGroupNonprod, {
      tags: { app: "drift", owner: "team-a" },
    });
    // An extra role assignment someone else made.
    const identity = await azure.msi.userAssignedIdentities.get(names.resourceGroupNonprod, names.identityCi);
    const extra = await azure.authorization.roleAssignments.create(registry.id!, randomUUID(), {
      roleDefinitionId: `/subscriptions/${bed.sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
      principalId: identity.principalId!,
      principalType: "ServicePrincipal",
    });
    extraAssignmentId = extra.id!;
    plan = await planRun(bed.steps());
  });
  afterAll(() => bed?.close());

  it("reports the admin user with its field", () => {
    expect(fieldsOf(plan.changes.get(ids.azure.registry("nonprod")))).toContainEqual({
      field: "adminUserEnabled",
      from: true,
      to: false,
    });
  });

  it("reports the disabled monitoring addon", () => {
    expect(fieldsOf(plan.changes.get(ids.azure.cluster("prod")))).toContainEqual({
      field: "addon omsagent",
      from: "disabled",
      to: "enabled",
    });
  });

  it("leaves node counts under the autoscaler alone", () => {
    expect(plan.changes.get(ids.azure.cluster("staging"))?.kind).toBe("noop");
  });

  it("reports the missing role assignment", () => {
    const change = plan.changes.get(ids.azure.roleAssignment("staging-kubelet-acrpull"));
    expect(change).toMatchObject({ kind: "create" });
    expect(change?.kind === "create" && change.summary).toMatch(
      /^role AcrPull for aks-drift-staging kubelet on cr\w+: missing$/,
    );
  });

  it("reports the deleted secret", () => {
    expect(fieldsOf(plan.changes.get(ids.azure.keyVaultSecrets))).toEqual([
      { field: "secret db-password", from: "soft-deleted", to: "recovered" },
    ]);
  });

  it("reports the removed tag but not the user's", () => {
    expect(fieldsOf(plan.changes.get(ids.azure.resourceGroup("nonprod")))).toEqual([
      { field: "tags.managed-by", from: undefined, to: "aks-bootstrap" },
    ]);
  });

  it("changes nothing else", () => {
    const changed = [...plan.changes]
      .filter(([, c]) => c.kind !== "noop")
      .map(([id]) => id)
      .sort();
    expect(changed).toEqual(
      [
        ids.azure.registry("nonprod"),
        ids.azure.cluster("prod"),
        ids.azure.roleAssignment("staging-kubelet-acrpull"),
        ids.azure.keyVaultSecrets,
        ids.azure.resourceGroup("nonprod"),
      ].sort(),
    );
  });

  describe("when applied", () => {
    let after: RunResult;
    beforeAll(async () => {
      const applied = await applyRun(bed.steps(), { plan });
      expect(applied.failed).toEqual([]);
      after = await planRun(bed.steps());
    });

    it("repairs every drift", () => {
      expect([...after.changes].filter(([, c]) => c.kind !== "noop")).toEqual([]);
    });

    it("keeps the user's tag, role assignment and autoscaler count", () => {
      const rg = resourcesOfType(bed.sandbox, "Microsoft.Resources/resourceGroups").find((r) =>
        r.id.endsWith("rg-drift-nonprod"),
      );
      expect(rg?.body.tags).toEqual({ app: "drift", owner: "team-a", "managed-by": "aks-bootstrap" });
      const assignments = resourcesOfType(bed.sandbox, "Microsoft.Authorization/roleAssignments").map((r) =>
        r.id.toLowerCase(),
      );
      expect(assignments).toContain(extraAssignmentId.toLowerCase());
      const staging = resourcesOfType(bed.sandbox, "Microsoft.ContainerService/managedClusters").find((r) =>
        r.id.endsWith("aks-drift-staging"),
      );
      expect((staging?.body.properties?.["agentPoolProfiles"] as { count: number }[])[0]?.count).toBe(5);
    });

    it("recreates the role assignment without a duplicate", () => {
      const acrPull = resourcesOfType(bed.sandbox, "Microsoft.Authorization/roleAssignments").filter((r) =>
        String(r.body.properties?.["roleDefinitionId"]).endsWith(ACR_PULL),
      );
      expect(acrPull).toHaveLength(2);
    });
  });
});
