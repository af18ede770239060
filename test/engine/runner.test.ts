import { describe, expect, it } from "vitest";
import { applyRun, planRun } from "../../src/engine/runner.js";
import { graphDepth, buildGraph } from "../../src/engine/graph.js";
import type { EngineEvent } from "../../src/engine/types.js";
import { deferred, fakeStep, waitFor } from "./fake-steps.js";

const statuses = (events: EngineEvent[], id: string) =>
  events.flatMap((e) => (e.type === "step-status" && e.stepId === id ? [e.status] : []));

describe("dependency graph", () => {
  it("rejects an unknown dependency, naming both steps", () => {
    expect(() => buildGraph([fakeStep("a", { dependsOn: ["ghost"] })])).toThrow(
      /"a" depends on unknown step "ghost"/,
    );
  });

  it("rejects a cycle, naming its members in order", () => {
    const steps = [
      fakeStep("a", { dependsOn: ["c"] }),
      fakeStep("b", { dependsOn: ["a"] }),
      fakeStep("c", { dependsOn: ["b"] }),
    ];
    expect(() => buildGraph(steps)).toThrow(/cycle: a -> c -> b -> a/);
  });

  it("reports the longest chain as its depth", () => {
    const g = buildGraph([
      fakeStep("a"),
      fakeStep("b", { dependsOn: ["a"] }),
      fakeStep("c", { dependsOn: ["b", "a"] }),
      fakeStep("d"),
    ]);
    expect(graphDepth(g)).toBe(3);
  });
});

describe("apply", () => {
  it("applies a step only after every dependency finished applying", async () => {
    // Given a diamond a -> (b, c) -> d
    const log: string[] = [];
    const steps = [
      fakeStep("d", { dependsOn: ["b", "c"], log }),
      fakeStep("b", { dependsOn: ["a"], log }),
      fakeStep("c", { dependsOn: ["a"], log }),
      fakeStep("a", { log }),
    ];
    // When applied
    const result = await applyRun(steps);
    // Then each apply ends before any dependent's apply starts
    expect(result.outcome).toBe("succeeded");
    const at = (e: string) => log.indexOf(e);
    expect(at("apply-end:a")).toBeLessThan(at("apply-start:b"));
    expect(at("apply-end:a")).toBeLessThan(at("apply-start:c"));
    expect(at("apply-end:b")).toBeLessThan(at("apply-start:d"));
    expect(at("apply-end:c")).toBeLessThan(at("apply-start:d"));
  });

  it("runs independent steps in parallel but never more than the bound", async () => {
    // Given 6 independent steps that block until released, and a bound of 3
    let active = 0;
    let peak = 0;
    const gates: { resolve: () => void }[] = [];
    const steps = Array.from({ length: 6 }, (_, i) =>
      fakeStep(`s${i}`, {
        gate: async () => {
          active++;
          peak = Math.max(peak, active);
          const d = deferred();
          gates.push(d);
          await d.promise;
          active--;
        },
      }),
    );
    const run = applyRun(steps, { concurrency: 3 });
    // When three are running, the others wait
    await waitFor(() => gates.length === 3);
    expect(active).toBe(3);
    // Then releasing every gate as it appears lets the rest through, three at most at any time
    const releaseAll = () => {
      while (gates.length) gates.shift()!.resolve();
      return steps.every((s) => s.calls.includes("apply")) && active === 0;
    };
    await waitFor(releaseAll);
    const result = await run;
    expect(result.outcome).toBe("succeeded");
    expect(peak).toBe(3);
  });

  it("skips exactly the dependents of a failed step and finishes independent branches", async () => {
    // Given a fails; b depends on a; c on b; x is independent; y depends on x
    const events: EngineEvent[] = [];
    const steps = [
      fakeStep("a", { failOn: "apply" }),
      fakeStep("b", { dependsOn: ["a"] }),
      fakeStep("c", { dependsOn: ["b"] }),
      fakeStep("x"),
      fakeStep("y", { dependsOn: ["x"] }),
    ];
    const result = await applyRun(steps, { onEvent: (e) => events.push(e) });
    expect(result.outcome).toBe("failed");
    expect(result.failed).toEqual(["a"]);
    expect([...result.skipped].sort()).toEqual(["b", "c"]);
    expect(statuses(events, "y").at(-1)).toBe("succeeded");
    const failure = events.find((e) => e.type === "step-status" && e.status === "failed");
    expect(failure).toMatchObject({ stepId: "a", error: { message: "a apply exploded" } });
    expect(steps[1]!.calls).not.toContain("apply");
  });

  it("stops starting steps on abort, waits for running ones, and reports aborted", async () => {
    // Given a running step holding the run, and steps waiting behind it
    const controller = new AbortController();
    const release = deferred();
    let running = 0;
    const steps = [
      fakeStep("long", {
        gate: async (ctx) => {
          running++;
          await Promise.race([release.promise, new Promise((r) => ctx.signal.addEventListener("abort", r))]);
          running--;
        },
      }),
      fakeStep("after", { dependsOn: ["long"] }),
      fakeStep("queued"),
    ];
    const events: EngineEvent[] = [];
    const run = applyRun(steps, {
      concurrency: 1,
      signal: controller.signal,
      onEvent: (e) => events.push(e),
    });
    await waitFor(() => running === 1);
    // When interrupted
    controller.abort();
    const result = await run;
    // Then nothing is left running, nothing new started, and the run says aborted
    expect(running).toBe(0);
    expect(result.outcome).toBe("aborted");
    expect(steps[1]!.calls).toEqual([]);
    expect(statuses(events, "after")).toEqual(["aborted"]);
    const summary = events.at(-1);
    expect(summary).toMatchObject({ type: "summary", outcome: "aborted" });
  });

  it("reuses a prior plan: unchanged steps are not read again, changed ones' dependents are", async () => {
    const up = fakeStep("up", { have: 0, want: 1 });
    const same = fakeStep("same", { have: 1 });
    const down = fakeStep("down", { dependsOn: ["up"], have: 1 });
    const steps = [up, same, down];
    const plan = await planRun(steps);
    const result = await applyRun(steps, { plan });
    expect(result.outcome).toBe("succeeded");
    expect(same.calls).toEqual(["detect"]);
    expect(up.calls).toEqual(["detect", "apply"]);
    expect(down.calls).toEqual(["detect", "detect"]);
  });
});

describe("plan", () => {
  it("detects and diffs every step, never applies, and counts changes by kind", async () => {
    const steps = [fakeStep("new"), fakeStep("drifted", { have: 0, want: 1 }), fakeStep("fine", { have: 1 })];
    const events: EngineEvent[] = [];
    const result = await planRun(steps, { onEvent: (e) => events.push(e) });
    expect(steps.flatMap((s) => s.calls)).toEqual(["detect", "detect", "detect"]);
    expect(result.changes.get("drifted")).toEqual({
      kind: "update",
      fields: [{ field: "value", from: 0, to: 1 }],
    });
    expect(events.at(-1)).toMatchObject({
      type: "summary",
      counts: { create: 1, update: 1, noop: 1, delete: 0 },
    });
  });

  it("numbers events from 1 without gaps", async () => {
    const events: EngineEvent[] = [];
    await planRun([fakeStep("a"), fakeStep("b", { dependsOn: ["a"] })], { onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({ type: "run-start", mode: "plan" });
  });

  it("marks a failed detect's dependents skipped", async () => {
    const result = await planRun([fakeStep("a", { failOn: "detect" }), fakeStep("b", { dependsOn: ["a"] })]);
    expect(result.failed).toEqual(["a"]);
    expect(result.skipped).toEqual(["b"]);
  });
});
