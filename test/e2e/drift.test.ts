import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.js";
import { openSession } from "../../src/cli/session.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { applyDrift, driftKinds, EDITED_FILE, type DriftKind } from "../../src/sandbox/drift/index.js";
import { UserError } from "../../src/engine/errors.js";
import { ids } from "../../steps/ids.js";
import { expected, planEvents, readsByObject, run, trafficFrom } from "./drift-harness.js";

const SPEED = "5000";

/**
 * Given a full sandbox deployment made by `aks-bootstrap apply`, When a careless colleague makes
 * every kind of drift through the public APIs, Then `plan --detailed-exitcode` exits 2 and names
 * each object and field; `apply` repairs all but the user-edited file (kept and reported); and a
 * further plan exits 0.
 */
describe("drift, end to end", () => {
  let dir: string;
  let sandboxDir: string;
  const sandboxFlag = () => `--sandbox=${sandboxDir}`;
  let made: { kind: DriftKind; description: string }[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aksb-drift-"));
    sandboxDir = join(dir, ".sandbox");
    const first = await run(
      ["apply", sandboxFlag(), "--non-interactive", "--yes", "--speed", SPEED, "--output", "plain"],
      dir,
    );
    expect(first.stderr + first.stdout, "first apply").toMatch(/./);
    expect(first.code, first.stderr).toBe(0);
    const sandbox = await startSandbox({ dir: sandboxDir, speed: Number(SPEED) });
    try {
      const args = parseArgs(["apply", sandboxFlag(), "--non-interactive"]);
      const session = await openSession(args, { env: {}, cwd: dir } as never, { sandbox });
      made = await applyDrift({
        target: session.target,
        answers: session.answers,
        names: session.names,
        kinds: driftKinds,
      });
    } finally {
      await sandbox.close();
    }
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("describes each change by object and field", () => {
    expect(made.map((m) => m.kind)).toEqual([...driftKinds]);
    const byKind = new Map(made.map((m) => [m.kind, m.description]));
    expect(byKind.get("registry-admin")).toMatch(/^registry cr\w+: adminUserEnabled false -> true$/);
    expect(byKind.get("variable-group")).toBe(
      "variable group demo-staging: variables.clusterName aks-demo-staging -> someone-elses-cluster",
    );
    expect(byKind.get("monitoring-addon")).toBe(
      "AKS cluster aks-demo-staging: addonProfiles.omsagent.enabled true -> false",
    );
  });

  it("refuses an unknown kind, naming the valid ones", async () => {
    const err = await applyDrift({ kinds: ["dns-zone" as DriftKind] } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).hint).toContain(driftKinds.join(", "));
  });

  it("plan exits 2 and names every drift; apply repairs all but the edited file; plan then exits 0", async () => {
    // When planned
    const from = trafficFrom(sandboxDir).length;
    const plan = await run(
      [
        "plan",
        sandboxFlag(),
        "--non-interactive",
        "--speed",
        SPEED,
        "--detailed-exitcode",
        "--output",
        "json",
      ],
      dir,
    );
    // Then it exits 2 and each kind shows up at its step
    expect(plan.code, plan.stderr).toBe(2);
    const changes = planEvents(plan.stdout);
    for (const kind of driftKinds) {
      const { step, check } = expected[kind];
      check(changes.get(step));
    }
    // And it read each object at most once
    const reads = readsByObject(trafficFrom(sandboxDir, from));
    expect(reads.size).toBeGreaterThan(50);
    expect([...reads].filter(([, n]) => n > 1)).toEqual([]);
    // When applied
    const repaired = await run(
      ["apply", sandboxFlag(), "--non-interactive", "--yes", "--speed", SPEED, "--output", "plain"],
      dir,
    );
    expect(repaired.code, repaired.stderr + repaired.stdout).toBe(0);
    // Then a further plan has nothing to do, and still reports the kept file
    const after = await run(
      [
        "plan",
        sandboxFlag(),
        "--non-interactive",
        "--speed",
        SPEED,
        "--detailed-exitcode",
        "--output",
        "json",
      ],
      dir,
    );
    expect(after.code, after.stdout).toBe(0);
    const left = [...planEvents(after.stdout)].filter(([, c]) => c.kind !== "noop");
    expect(left).toEqual([]);
    expected["edited-file"].check(planEvents(after.stdout).get(ids.repo.files));
  });

  it("replaces the edited file only when asked to", async () => {
    const plan = await run(
      [
        "plan",
        sandboxFlag(),
        "--non-interactive",
        "--speed",
        SPEED,
        "--detailed-exitcode",
        "--replace-edited-files",
        "--output",
        "json",
      ],
      dir,
    );
    expect(plan.code).toBe(2);
    expect(planEvents(plan.stdout).get(ids.repo.files)?.fields).toContainEqual({
      field: EDITED_FILE,
      from: "edited by a user (--replace-edited-files)",
      to: "current template",
    });
  });
});
