import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRun, planRun } from "../../src/engine/runner.js";
import { answersSchema } from "../../src/answers/schema.js";
import { ids } from "../../steps/ids.js";
import { azureSteps, preflightSteps } from "../../steps/azure/index.js";
import type { StepDeps } from "../../steps/deps.js";
import { resourcesOfType, startAzureBed, type AzureBed } from "./harness.js";

/**
 * Given clusters created on a pinned Kubernetes version, When the pin moves to a newer offered
 * version, Then the plan reports kubernetesVersion and apply upgrades; a pin older than the
 * cluster changes nothing (no downgrade).
 */
describe("pinned Kubernetes version", () => {
  let bed: AzureBed;
  let offered: string[];
  const pinned = (version: string): StepDeps => {
    const answers = answersSchema.parse({
      ...bed.deps.answers,
      azure: { ...bed.deps.answers.azure, aks: { ...bed.deps.answers.azure.aks, version } },
    });
    return { ...bed.deps, answers };
  };
  const steps = (d: StepDeps) => [...preflightSteps(d), ...azureSteps(d)];
  beforeAll(async () => {
    bed = await startAzureBed({ app: "upgrade" });
    const list = await bed.deps.azure.aks.managedClusters.listKubernetesVersions(bed.sandbox.location);
    offered = (list.values ?? [])
      .filter((v) => !v.isPreview)
      .map((v) => v.version!)
      .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
    expect(offered.length).toBeGreaterThan(1);
    expect((await applyRun(steps(pinned(offered[0]!)))).failed).toEqual([]);
  });
  afterAll(() => bed?.close());

  it("upgrades to a newer pin", async () => {
    const newer = offered[offered.length - 1]!;
    const plan = await planRun(steps(pinned(newer)));
    const change = plan.changes.get(ids.azure.cluster("staging"));
    expect(change?.kind === "update" && change.fields).toContainEqual(
      expect.objectContaining({ field: "kubernetesVersion", to: newer }),
    );
    expect((await applyRun(steps(pinned(newer)), { plan })).failed).toEqual([]);
    for (const c of resourcesOfType(bed.sandbox, "Microsoft.ContainerService/managedClusters"))
      expect(String(c.body.properties?.["kubernetesVersion"])).toMatch(
        new RegExp(`^${newer.replace(".", "\\.")}`),
      );
  });

  it("never downgrades", async () => {
    const plan = await planRun(steps(pinned(offered[0]!)));
    expect(plan.changes.get(ids.azure.cluster("staging"))?.kind).toBe("noop");
  });
});
