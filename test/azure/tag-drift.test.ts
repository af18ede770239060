import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRun, planRun, type RunResult } from "../../src/engine/runner.js";
import { ids } from "../../steps/ids.js";
import { resources, startAzureBed, type AzureBed } from "./harness.js";

/**
 * Given every kind of managed resource with our `managed-by` tag replaced by a user's tag,
 * When planned, Then each reports `tags.managed-by`; When applied, Then ours is back and the
 * user's stays.
 */
describe("tag drift on every resource kind", () => {
  let bed: AzureBed;
  let plan: RunResult;
  const userTags = { app: "tags", owner: "team-b" };
  beforeAll(async () => {
    bed = await startAzureBed({ app: "tags" });
    expect((await applyRun(bed.steps())).failed).toEqual([]);
    const { azure, names } = bed.deps;
    const lro = { updateIntervalInMs: azure.lro.updateIntervalInMs };
    const rg = names.resourceGroupNonprod;
    await azure.logs.workspaces.update(rg, names.workspaceNonprod, { tags: userTags });
    await azure.appInsights.components.updateTags(rg, names.appInsightsStaging, { tags: userTags });
    await azure.registry.registries.beginUpdateAndWait(rg, names.registryNonprod, { tags: userTags }, lro);
    await azure.keyVault.vaults.update(rg, names.keyVault, { tags: userTags });
    await azure.aks.managedClusters.beginUpdateTagsAndWait(rg, names.clusterStaging, { tags: userTags }, lro);
    const identity = await azure.msi.userAssignedIdentities.get(rg, names.identityCi);
    await azure.msi.userAssignedIdentities.createOrUpdate(rg, names.identityCi, {
      location: identity.location,
      tags: userTags,
    });
    await azure.monitor.dataCollectionRules.update(
      rg,
      `MSCI-${bed.sandbox.location}-${names.clusterStaging}`,
      {
        body: { tags: userTags },
      },
    );
    plan = await planRun(bed.steps());
  });
  afterAll(() => bed?.close());

  const drifted = [
    ids.azure.workspace("nonprod"),
    ids.azure.appInsights("staging"),
    ids.azure.registry("nonprod"),
    ids.azure.keyVault,
    ids.azure.cluster("staging"),
    ids.azure.identity("ci"),
    ids.azure.containerInsights("staging"),
  ];

  it.each(drifted)("%s reports tags.managed-by", (id) => {
    const change = plan.changes.get(id);
    expect(change?.kind === "update" && change.fields).toEqual([
      { field: "tags.managed-by", from: undefined, to: "aks-bootstrap" },
    ]);
  });

  it("repairs them all and keeps the user's tag", async () => {
    expect(
      [...plan.changes]
        .filter(([, c]) => c.kind !== "noop")
        .map(([id]) => id)
        .sort(),
    ).toEqual([...drifted].sort());
    expect((await applyRun(bed.steps(), { plan })).failed).toEqual([]);
    const after = await planRun(bed.steps());
    expect([...after.changes].filter(([, c]) => c.kind !== "noop")).toEqual([]);
    const tagged = resources(bed.sandbox).filter((r) => r.body.tags?.["owner"] === "team-b");
    expect(tagged).toHaveLength(drifted.length);
    for (const r of tagged) expect(r.body.tags).toEqual({ ...userTags, "managed-by": "aks-bootstrap" });
  });
});
