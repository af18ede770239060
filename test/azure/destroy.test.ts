import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRun, destroyRun, type RunResult } from "../../src/engine/runner.js";
import { ids, roleAssignmentKeys } from "../../steps/ids.js";
import { VAULT_TEARDOWN_NOTE } from "../../steps/azure/key-vault.js";
import { roleAssignmentName } from "../../steps/azure/role-assignments.js";
import { builtInRoles } from "../../steps/azure/roles.js";
import { resources, startAzureBed, type AzureBed } from "./harness.js";

/** Every resource, AKS's node groups included (they go with their cluster). */
const live = (bed: AzureBed) => resources(bed.sandbox);
const deletedVaults = (bed: AzureBed) =>
  Object.keys((bed.sandbox.state() as { deletedVaults: Record<string, unknown> }).deletedVaults);

/**
 * Given a converged Azure side plus objects aks-bootstrap did not create (a foreign group, an
 * untagged registry elsewhere), When destroyed, Then only ours are gone (the two groups, and the
 * role assignments explicitly), the vault is soft-deleted not purged; a second destroy is a no-op;
 * apply afterwards converges again and recovers the vault.
 */
describe("destroy of the Azure side", () => {
  let bed: AzureBed;
  let first: RunResult;
  let created: string[];
  beforeAll(async () => {
    bed = await startAzureBed({ app: "gone" });
    const before = new Set(live(bed).map((r) => r.id));
    expect((await applyRun(bed.steps())).failed).toEqual([]);
    created = live(bed)
      .map((r) => r.id)
      .filter((id) => !before.has(id));
    const { azure } = bed.deps;
    await azure.resources.resourceGroups.createOrUpdate("rg-team-own", { location: bed.sandbox.location });
    await azure.registry.registries.beginCreateAndWait(
      "rg-team-own",
      "crteamown0001",
      { location: bed.sandbox.location, sku: { name: "Basic" }, tags: { app: "gone" } },
      azure.lro,
    );
    first = await destroyRun(bed.steps());
  });
  afterAll(() => bed?.close());

  it("plans the groups and role assignments for deletion and the rest with their group", () => {
    expect(first.failed).toEqual([]);
    expect(first.changes.get(ids.azure.resourceGroup("nonprod"))?.kind).toBe("delete");
    expect(first.changes.get(ids.azure.resourceGroup("prod"))?.kind).toBe("delete");
    expect(first.changes.get(ids.azure.registry("nonprod"))).toMatchObject({
      kind: "delete",
      summary: expect.stringMatching(/^with Resource group/) as unknown,
    });
    for (const key of roleAssignmentKeys)
      expect(first.changes.get(ids.azure.roleAssignment(key))).toMatchObject({ kind: "delete" });
  });

  it("leaves nothing it created and keeps what it did not", () => {
    const left = live(bed).map((r) => r.id.toLowerCase());
    expect(left.some((id) => id.includes(`/resourcegroups/${bed.deps.names.resourceGroupNonprod}`))).toBe(
      false,
    );
    expect(left.some((id) => id.includes(`/resourcegroups/${bed.deps.names.resourceGroupProd}`))).toBe(false);
    expect(created.filter((id) => /roleassignments/i.test(id))).toHaveLength(roleAssignmentKeys.length + 1);
    expect(left.filter((id) => created.some((c) => c.toLowerCase() === id))).toEqual([]);
    expect(left).toContain(`/subscriptions/${bed.sandbox.subscriptionId}/resourcegroups/rg-team-own`);
    expect(left.some((id) => id.endsWith("/crteamown0001"))).toBe(true);
  });

  it("soft-deletes the vault without purging it, and says so", () => {
    expect(deletedVaults(bed)).toContain(bed.deps.names.keyVault.toLowerCase());
    // Deleted on its own (not only with its group), so the inventory says what happens to it.
    expect(first.changes.get(ids.azure.keyVault)).toEqual({ kind: "delete", notes: [VAULT_TEARDOWN_NOTE] });
    expect(VAULT_TEARDOWN_NOTE).toMatch(/not purged/);
  });

  it("is a no-op when run again, and apply afterwards converges (the vault recovered)", async () => {
    const again = await destroyRun(bed.steps());
    expect(again.failed).toEqual([]);
    expect([...again.changes].filter(([, c]) => c.kind === "delete")).toEqual([]);

    const rebuilt = await applyRun(bed.steps());
    expect(rebuilt.failed).toEqual([]);
    expect(rebuilt.changes.get(ids.azure.keyVault)).toMatchObject({
      kind: "create",
      summary: expect.stringMatching(/recover/) as unknown,
    });
    expect(deletedVaults(bed)).toEqual([]);
    const { planRun } = await import("../../src/engine/runner.js");
    const plan = await planRun(bed.steps());
    expect([...plan.changes].filter(([, c]) => c.kind !== "noop")).toEqual([]);
  });
});

describe("destroy next to objects someone else made in our groups", () => {
  let bed: AzureBed;
  beforeAll(async () => {
    bed = await startAzureBed({ app: "shared" });
    expect((await applyRun(bed.steps())).failed).toEqual([]);
  });
  afterAll(() => bed?.close());

  it("refuses to delete the group, naming the foreign resource, and keeps it", async () => {
    // Given a registry without our tag in our non-prod group
    const { azure, names } = bed.deps;
    await azure.registry.registries.beginCreateAndWait(
      names.resourceGroupNonprod,
      "crteamscratch01",
      { location: bed.sandbox.location, sku: { name: "Basic" } },
      azure.lro,
    );
    // And the CI identity's AcrPush granted by someone else under another name (ours removed)
    const registry = await azure.registry.registries.get(names.resourceGroupNonprod, names.registryNonprod);
    const ci = await azure.msi.userAssignedIdentities.get(names.resourceGroupNonprod, names.identityCi);
    const acrPush = `/subscriptions/${bed.sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.AcrPush}`;
    await azure.authorization.roleAssignments.delete(
      registry.id!,
      roleAssignmentName(registry.id!, ci.principalId!, builtInRoles.AcrPush),
    );
    await azure.authorization.roleAssignments.create(registry.id!, randomUUID(), {
      roleDefinitionId: acrPush,
      principalId: ci.principalId!,
      principalType: "ServicePrincipal",
    });
    const events: string[] = [];
    // When destroyed
    const result = await destroyRun(bed.steps(), {
      onEvent: (e) => {
        if (e.type === "step-status" && e.error) events.push(e.error.message);
      },
    });
    // Then the equivalent assignment is not ours to remove
    expect(result.changes.get(ids.azure.roleAssignment("ci-acrpush"))).toEqual({
      kind: "noop",
      notes: ["kept: not created by aks-bootstrap"],
    });
    // And the group is kept (with the foreign registry), the other group is gone
    expect(result.failed).toEqual([ids.azure.resourceGroup("nonprod")]);
    expect(events.join("\n")).toMatch(/crteamscratch01.*was kept/);
    const left = resources(bed.sandbox).map((r) => r.id.toLowerCase());
    expect(left.some((id) => id.endsWith("/crteamscratch01"))).toBe(true);
    expect(left.some((id) => id.endsWith(`/resourcegroups/${names.resourceGroupNonprod}`))).toBe(true);
    expect(left.some((id) => id.endsWith(`/resourcegroups/${names.resourceGroupProd}`))).toBe(false);
  });
});
