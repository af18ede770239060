import { PassThrough } from "node:stream";
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineEvent, StepInfo } from "../../src/engine/types.js";
import { LiveView } from "../../src/ui/live/LiveView.js";
import { RunStore } from "../../src/ui/live/run-state.js";
import { createReporter } from "../../src/ui/reporter.js";
import { stripAnsi } from "../../src/ui/style.js";
import { EventScript } from "./fixtures.js";

const steps: StepInfo[] = [
  { id: "verify/pr-check", title: "PR check demo-pr", group: "verify", dependsOn: [] },
  { id: "verify/cd-approval", title: "CD: approval for demo-production", group: "verify", dependsOn: [] },
  { id: "verify/cd-production", title: "CD: production", group: "verify", dependsOn: [] },
];
const runUrl = "https://dev.azure.com/contoso/demo/_build/results?buildId=7";

/** A verify run that passes the PR check and stops at the production approval. */
function stoppedAtGate(): EngineEvent[] {
  const s = new EventScript();
  s.push({ type: "run-start", mode: "verify", steps });
  s.push({ type: "step-status", stepId: "verify/pr-check", status: "applying" });
  s.at(3200).push({
    type: "step-status",
    stepId: "verify/pr-check",
    status: "succeeded",
    reason: "passed: run 20261207.1",
    links: [{ label: "run 20261207.1", url: "https://dev.azure.com/contoso/demo/_build/results?buildId=5" }],
  });
  s.push({ type: "step-status", stepId: "verify/cd-approval", status: "applying" });
  s.at(5000).push({
    type: "step-status",
    stepId: "verify/cd-approval",
    status: "waiting",
    reason: 'approval needed for stage "Promote and deploy to production"',
    links: [{ label: "approve on run 20261207.3", url: runUrl }],
    next: "An approver opens the run and chooses Review, then Approve.",
  });
  s.push({
    type: "step-status",
    stepId: "verify/cd-production",
    status: "skipped",
    reason: "behind the gate above",
  });
  s.push({
    type: "summary",
    mode: "verify",
    outcome: "stopped",
    counts: { create: 0, update: 0, delete: 0, noop: 0 },
    failed: 0,
    skipped: 1,
    durationMs: 5000,
  });
  return s.events;
}

let unmounts: (() => void)[] = [];
afterEach(() => {
  for (const u of unmounts) u();
  unmounts = [];
});

/** What a plain or JSON reporter writes for the events. */
async function written(kind: "plain" | "json", events: readonly EngineEvent[]): Promise<string> {
  const stdout = new PassThrough();
  const chunks: string[] = [];
  stdout.on("data", (c: Buffer) => chunks.push(c.toString("utf8")));
  const reporter = await createReporter(kind, {
    stdout,
    stderr: new PassThrough(),
    color: false,
    debug: false,
  });
  for (const e of events) reporter.onEvent(e);
  await reporter.close();
  return chunks.join("");
}

describe("verify through the reporters", () => {
  it("plain: each milestone with its link, the gate as `‖ ... waiting`, a tally and what to do", async () => {
    const lines = (await written("plain", stoppedAtGate())).trimEnd().split("\n");
    expect(lines).toContain("[verify] ✓ PR check demo-pr passed: run 20261207.1 (3.2s)");
    expect(lines).toContain(
      "[verify]     run 20261207.1: https://dev.azure.com/contoso/demo/_build/results?buildId=5",
    );
    expect(lines).toContain(
      '[verify] ‖ CD: approval for demo-production waiting: approval needed for stage "Promote and deploy to production" (1.8s)',
    );
    expect(lines).toContain(`[verify]     approve on run 20261207.3: ${runUrl}`);
    expect(lines).toContain("[verify]     next: An approver opens the run and chooses Review, then Approve.");
    expect(lines).toContain(
      "‖ verify stopped at a gate in 5.0s: 1 of 3 milestones passed, 1 waiting for a person, 1 not reached",
    );
    expect(lines.some((l) => l.startsWith("next: A person acts at the link above"))).toBe(true);
  });

  it("json: the links travel in the step-status events", async () => {
    const events = (await written("json", stoppedAtGate()))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as EngineEvent);
    const gate = events.find((e) => e.type === "step-status" && e.status === "waiting");
    expect(gate).toMatchObject({ stepId: "verify/cd-approval", links: [{ url: runUrl }] });
    expect(events.at(-1)).toMatchObject({ type: "summary", mode: "verify", outcome: "stopped" });
  });

  it("live view while running: the milestone's detail, and the ones still to go", async () => {
    const store = new RunStore();
    const r = render(
      <LiveView store={store} color={false} debug={false} columns={100} animate={false} now={() => 0} />,
    );
    unmounts.push(r.unmount);
    const events = stoppedAtGate().slice(0, 4);
    events.push({
      ...events[3]!,
      seq: 5,
      type: "progress",
      stepId: "verify/cd-approval",
      detail: "run 7 (20261207.3) running",
    } as EngineEvent);
    for (const e of events) store.dispatch(e);
    const deadline = Date.now() + 2000;
    let frame = "";
    while (!/to go/.test(frame) && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      frame = stripAnsi(r.lastFrame() ?? "");
    }
    expect(frame).toMatch(/Verify {2}1\/3 done, 1 running, 1 to go/);
    expect(frame).toContain("CD: approval for demo-production running");
    expect(frame).toContain("run 7 (20261207.3) running");
  });

  it("live view: the gate scrolls up with its link, and the summary says it stopped", async () => {
    const store = new RunStore();
    const r = render(
      <LiveView store={store} color={false} debug={false} columns={100} animate={false} now={() => 0} />,
    );
    unmounts.push(r.unmount);
    for (const e of stoppedAtGate()) store.dispatch(e);
    // Ink renders on its own tick: wait (deadline 2 s, no fixed sleep) for the summary.
    const deadline = Date.now() + 2000;
    let frame = "";
    while (!/stopped at a gate/.test(frame) && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      frame = stripAnsi(r.lastFrame() ?? "");
    }
    expect(frame).toContain("‖ Verify        CD: approval for demo-production waiting: approval needed");
    expect(frame).toContain(`approve on run 20261207.3: ${runUrl}`);
    expect(frame).toContain("next: An approver opens the run and chooses Review, then Approve.");
    expect(frame).toContain("verify stopped at a gate in 5.0s");
    expect(frame).toContain("1 of 3 milestones passed, 1 waiting for a person, 1 not reached");
  });
});
