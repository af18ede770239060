import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/index.js";
import { applyRun, planRun } from "../../src/engine/runner.js";
import type { Change } from "../../src/engine/types.js";
import { ids } from "../../steps/ids.js";
import { resourcesOfType, startAzureBed, type AzureBed } from "./harness.js";

/**
 * Given a subscription where Microsoft.ContainerService is not registered, When planned, Then
 * preflight lists it; When applied, Then it is registered (and waited for) before anything needs it.
 */
describe("resource provider registration", () => {
  let bed: AzureBed;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "aks-bootstrap-providers-"));
    await (await startSandbox({ dir })).close();
    const path = join(dir, "state.json");
    const state = JSON.parse(readFileSync(path, "utf8")) as { registeredProviders: Record<string, string> };
    state.registeredProviders["Microsoft.ContainerService"] = "NotRegistered";
    writeFileSync(path, JSON.stringify(state));
    bed = await startAzureBed({ dir });
  });
  afterAll(() => bed?.close());

  it("plans the registration and applies it before the clusters", async () => {
    const plan = await planRun(bed.steps());
    const change: Change | undefined = plan.changes.get(ids.preflight.providers);
    expect(change?.kind === "update" && change.fields).toEqual([
      { field: "Microsoft.ContainerService", from: "NotRegistered", to: "Registered" },
    ]);
    const progress: string[] = [];
    const result = await applyRun(bed.steps(), {
      plan,
      onEvent: (e) => {
        if (e.type === "progress" && e.stepId === ids.preflight.providers) progress.push(e.detail);
      },
    });
    expect(result.failed).toEqual([]);
    expect(resourcesOfType(bed.sandbox, "Microsoft.ContainerService/managedClusters")).toHaveLength(2);
    expect(progress).toContainEqual(
      expect.stringMatching(/^waiting for Microsoft\.ContainerService to register/),
    );
    const after = await planRun(bed.steps());
    expect(after.changes.get(ids.preflight.providers)?.kind).toBe("noop");
  });
});
