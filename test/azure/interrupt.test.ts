import { afterEach, describe, expect, it } from "vitest";
import { applyRun, planRun } from "../../src/engine/runner.js";
import type { EngineEvent } from "../../src/engine/types.js";
import { ids } from "../../steps/ids.js";
import { managedResources as resources, startAzureBed, type AzureBed } from "./harness.js";

/** Objects a converged run leaves (besides the sandbox's own Owner assignment for the caller). */
const EXPECTED: Readonly<Record<string, number>> = {
  "microsoft.resources/resourcegroups": 2,
  "microsoft.operationalinsights/workspaces": 2,
  "microsoft.insights/components": 2,
  "microsoft.containerregistry/registries": 2,
  "microsoft.keyvault/vaults": 1,
  "microsoft.containerservice/managedclusters": 2,
  "microsoft.insights/datacollectionrules": 2,
  "microsoft.insights/datacollectionruleassociations": 2,
  "microsoft.managedidentity/userassignedidentities": 3,
  "microsoft.authorization/roleassignments": 12,
};

function counts(bed: AzureBed): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of resources(bed.sandbox)) out[r.type.toLowerCase()] = (out[r.type.toLowerCase()] ?? 0) + 1;
  return out;
}

/**
 * Given a run interrupted at some point (Ctrl-C mid long-running create, mid role assignment,
 * mid secrets), When it is rerun, Then it converges with no duplicate resource or assignment.
 */
describe("interrupted apply, then rerun", () => {
  let bed: AzureBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  const points: ReadonlyArray<readonly [string, (e: EngineEvent) => boolean]> = [
    [
      "a registry create",
      (e) =>
        e.type === "step-status" && e.stepId === ids.azure.registry("nonprod") && e.status === "applying",
    ],
    ["the staging cluster create", (e) => e.type === "progress" && e.stepId === ids.azure.cluster("staging")],
    [
      "a role assignment",
      (e) =>
        e.type === "step-status" &&
        e.stepId === ids.azure.roleAssignment("ci-acrpush") &&
        e.status === "applying",
    ],
    [
      "the secrets",
      (e) => e.type === "step-status" && e.stepId === ids.azure.keyVaultSecrets && e.status === "applying",
    ],
  ];

  for (const [where, when] of points) {
    it(`converges after an interruption during ${where}`, async () => {
      bed = await startAzureBed({ app: "kill" });
      const stop = new AbortController();
      const interrupted = await applyRun(bed.steps(), {
        signal: stop.signal,
        onEvent: (e) => {
          if (!stop.signal.aborted && when(e)) stop.abort();
        },
      });
      expect(stop.signal.aborted).toBe(true);
      expect(interrupted.outcome).toBe("aborted");

      const rerun = await applyRun(bed.steps());
      expect(rerun.failed).toEqual([]);
      expect(rerun.outcome).toBe("succeeded");
      const plan = await planRun(bed.steps());
      expect([...plan.changes].filter(([, c]) => c.kind !== "noop")).toEqual([]);
      expect(counts(bed)).toEqual(EXPECTED);
    });
  }
});
