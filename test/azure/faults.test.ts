import { afterEach, describe, expect, it } from "vitest";
import { applyRun, planRun } from "../../src/engine/runner.js";
import type { EngineEvent, ErrorInfo } from "../../src/engine/types.js";
import { ids } from "../../steps/ids.js";
import { identityStep } from "../../steps/azure/identity.js";
import { registryStep } from "../../steps/azure/registry.js";
import { resourceGroupStep } from "../../steps/azure/resource-group.js";
import { assignmentTable, roleAssignmentStep } from "../../steps/azure/role-assignments.js";
import { startAzureBed, traffic, type AzureBed } from "./harness.js";

/**
 * Given a cloud that throttles, fails transiently and is eventually consistent, When the Azure
 * steps are applied, Then they converge (retrying, and saying so on the progress line).
 */
describe("apply under injected faults", () => {
  let bed: AzureBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  for (const seed of [1, 2, 3]) {
    it(`converges with throttling and eventual consistency (seed ${seed})`, async () => {
      bed = await startAzureBed({
        app: "faulty",
        faults: "429=0.1,503=0.05,eventual=0.2,principal-not-found=0.5",
        seed,
      });
      const events: EngineEvent[] = [];
      const result = await applyRun(bed.steps(), { onEvent: (e) => events.push(e) });
      expect(result.failed).toEqual([]);
      expect(result.outcome).toBe("succeeded");
      // The faults really happened.
      const faults = new Set(
        traffic(bed.sandbox)
          .map((t) => t.fault)
          .filter(Boolean),
      );
      expect(faults.size).toBeGreaterThan(0);
      const plan = await planRun(bed.steps());
      expect(plan.failed).toEqual([]);
      expect([...plan.changes].filter(([, c]) => c.kind !== "noop")).toEqual([]);
    });
  }

  it("says on the progress line that it waits for an identity to propagate", async () => {
    // Slow enough (speed 20) that the identity is still "new" when its role is assigned.
    bed = await startAzureBed({ app: "faulty", faults: "principal-not-found=1", seed: 7, speed: 20 });
    const d = bed.deps;
    const acrPush = assignmentTable(d).find((a) => a.key === "ci-acrpush")!;
    const steps = [
      resourceGroupStep(d, "nonprod", []),
      registryStep(d, "nonprod"),
      identityStep(d, "ci"),
      roleAssignmentStep(d, acrPush),
    ];
    const progress: string[] = [];
    const result = await applyRun(steps, {
      onEvent: (e) => {
        if (e.type === "progress" && e.stepId === ids.azure.roleAssignment("ci-acrpush"))
          progress.push(e.detail);
      },
    });
    expect(result.failed).toEqual([]);
    expect(progress).toContainEqual(
      expect.stringMatching(/^waiting for identity to propagate \(attempt \d+\)$/),
    );
  });
});

describe("a failed long-running operation", () => {
  let bed: AzureBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  it("fails the run with Azure's error, and the rerun redoes it", async () => {
    bed = await startAzureBed({ app: "lrofail", faults: "lro-fail=0.5", seed: 4 });
    const errors: ErrorInfo[] = [];
    const first = await applyRun(bed.steps(), {
      onEvent: (e) => {
        if (e.type === "step-status" && e.status === "failed" && e.error) errors.push(e.error);
      },
    });
    expect(first.outcome).toBe("failed");
    // Azure's verdict, told as such (no stack: not a bug of ours), with what to do.
    expect(errors[0]?.message).toMatch(/: Azure reports the operation failed: OperationFailed/);
    expect(errors[0]?.hint).toMatch(/^Rerun/);
    expect(errors[0]?.stack).toBeUndefined();
    let outcome = first.outcome;
    for (let attempt = 0; attempt < 6 && outcome !== "succeeded"; attempt++)
      outcome = (await applyRun(bed.steps())).outcome;
    expect(outcome).toBe("succeeded");
  });
});
