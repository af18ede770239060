import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.js";
import { allSteps, openSession, type Session } from "../../src/cli/session.js";
import { applyRun, planRun } from "../../src/engine/runner.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { applyDrift, driftKinds } from "../../src/sandbox/drift/index.js";
import { UserError } from "../../src/engine/errors.js";
import { expected } from "./drift-harness.js";

/**
 * Each drift kind on its own, so none hides behind another (a deleted connection also changes
 * its federated credential, for one). Given one converged deployment shared by all cases, When
 * one kind of drift is made, Then the plan reports it at its step; When applied, Then the next
 * plan is all noop. The user-edited file is reported and kept (a noop with a note).
 */
describe("each drift kind alone", () => {
  let dir: string;
  let sandbox: Sandbox;
  let session: Session;
  const steps = () => allSteps(session.deps);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aksb-drift-each-"));
    sandbox = await startSandbox({ dir: join(dir, ".sandbox"), speed: 5000 });
    session = await openSession(
      parseArgs(["apply", "--sandbox", "--non-interactive"]),
      { env: {}, cwd: dir } as never,
      {
        sandbox,
      },
    );
    const first = await applyRun(await steps());
    expect(first.failed).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(driftKinds.map((k) => [k]))(
    "%s: reported by plan; after apply nothing is pending",
    async (kind) => {
      // Given one kind of drift
      const [made] = await applyDrift({
        target: session.target,
        answers: session.answers,
        names: session.names,
        kinds: [kind],
      });
      expect(made?.kind).toBe(kind);
      // When planned Then it shows at its step, and (but for the kept file) as a change
      const plan = await planRun(await steps());
      const { step, check } = expected[kind];
      check(plan.changes.get(step));
      const pending = [...plan.changes].filter(([, c]) => c.kind !== "noop").map(([id]) => id);
      if (kind === "edited-file") expect(pending).toEqual([]);
      else expect(pending).toContain(step);
      // When applied Then nothing is left to do
      const applied = await applyRun(await steps(), { plan });
      expect(applied.failed).toEqual([]);
      const after = await planRun(await steps());
      expect([...after.changes].filter(([, c]) => c.kind !== "noop").map(([id]) => id)).toEqual([]);
    },
  );

  it("says which drifts were already made when a later one cannot be", async () => {
    const opts = { target: session.target, answers: session.answers, names: session.names };
    // Given the staging environment already gone
    await applyDrift({ ...opts, kinds: ["environment"] });
    // When asked for registry-admin (possible) and environment (nothing left to delete)
    const err = await applyDrift({ ...opts, kinds: ["registry-admin", "environment"] }).catch(
      (e: unknown) => e,
    );
    // Then the error names the change made and the object that was missing
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      /adminUserEnabled false -> true.*environment demo-staging was not found/s,
    );
    expect((await applyRun(await steps())).failed).toEqual([]);
  });
});
