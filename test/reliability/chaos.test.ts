import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runApply, runCli } from "./apply-run.js";
import { clearFailure, findDuplicates, injectedFaults, readSandboxState } from "./audit.js";
import { CHAOS_FAULTS } from "./fault-model.js";

/**
 * Full applies on the sandbox under seeded faults (a few seeds here; bench/chaos-sweep.mjs runs
 * many). Each run must converge, or fail with a clear message; a rerun without faults must
 * converge to a state `plan` finds nothing to change in; nothing may exist twice.
 */
const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), "aks-chaos-"));
  dirs.push(d);
  return join(d, "sandbox");
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// Fast enough for CI: an AKS create takes 270 s / 200 = 1.35 s.
const SPEED = 200;

async function chaosThenRerun(faults: string, seed: number) {
  const dir = fresh();
  // When: a full apply under faults
  const first = await runApply({ dir, faults, seed, speed: SPEED });
  const output = first.stdout + first.stderr;
  // Then: it converged, or it failed with a clear message
  expect([0, 1], output).toContain(first.code);
  if (first.code === 1) expect(clearFailure(output), output).toEqual({ ok: true });
  // When: rerun without faults; Then: it converges, and a plan finds nothing left to do
  const rerun = await runApply({ dir, speed: SPEED });
  expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
  const plan = await runCli(["plan", `--sandbox=${dir}`, "--non-interactive", "--detailed-exitcode"]);
  expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  // And: no object exists twice
  expect(findDuplicates(readSandboxState(dir))).toEqual([]);
  return { first, injected: injectedFaults(dir) };
}

describe("chaos: full applies under injected faults", () => {
  it.concurrent.each([1, 2])(
    `seed %i with ${CHAOS_FAULTS}: converges or fails clearly; a rerun converges; no duplicates`,
    async (seed) => {
      const { injected } = await chaosThenRerun(CHAOS_FAULTS, seed);
      // The faults really happened (else this test would prove nothing).
      for (const kind of ["429", "429-no-retry-after", "503", "reset"])
        expect(injected[kind] ?? 0).toBeGreaterThan(0);
    },
  );

  it.concurrent(
    "throttling only, with and without Retry-After, at 10% each: converges first time",
    async () => {
      const { first, injected } = await chaosThenRerun("429=0.1,429-no-retry-after=0.1", 3);
      expect(first.code, first.stdout).toBe(0);
      expect(injected["429"]).toBeGreaterThan(5);
      expect(injected["429-no-retry-after"]).toBeGreaterThan(5);
    },
  );

  it.concurrent(
    "every long-running operation fails: exit 1 naming each, then a rerun converges",
    async () => {
      const { first, injected } = await chaosThenRerun("lro-fail=1", 4);
      expect(first.code).toBe(1);
      expect(injected["lro-fail"]).toBeGreaterThanOrEqual(4);
      expect(first.stdout).toMatch(/error: creating AKS cluster aks-demo-staging: .*OperationFailed/);
      expect(first.stdout).toMatch(/error: creating container registry crdemononprod\w+: .*OperationFailed/);
    },
  );
});
