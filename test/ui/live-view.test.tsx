import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { Change, EngineEvent } from "../../src/engine/types.js";
import { LiveView } from "../../src/ui/live/LiveView.js";
import { PlanView } from "../../src/ui/plan-view.js";
import { RunStore } from "../../src/ui/live/run-state.js";
import { stripAnsi } from "../../src/ui/style.js";
import {
  EventScript,
  abortedScript,
  failedScript,
  finishedScript,
  planScript,
  reusedPlanScript,
  runningScript,
} from "./fixtures.js";

const links = {
  portal: "https://portal.azure.com/#@tenant/resource/subscriptions/0000/resourceGroups/rg-demo-nonprod",
  devopsProject: "https://dev.azure.com/contoso/demo",
  pipelines: "https://dev.azure.com/contoso/demo/_build",
};

let unmounts: (() => void)[] = [];
afterEach(() => {
  for (const u of unmounts) u();
  unmounts = [];
});

/** Given a sequence of events, renders the live view at 80 columns with a frozen clock. */
function show(
  events: readonly EngineEvent[],
  opts: { color?: boolean; debug?: boolean; nowMs?: number; known?: ReadonlyMap<string, Change> } = {},
) {
  const store = new RunStore(opts.known);
  const now = opts.nowMs ?? 1_700_000_012_000;
  const r = render(
    <LiveView
      store={store}
      color={opts.color ?? false}
      debug={opts.debug ?? false}
      columns={80}
      links={links}
      animate={false}
      now={() => now}
    />,
  );
  unmounts.push(r.unmount);
  for (const e of events) store.dispatch(e);
  return r;
}

/** Waits (deadline 2s, no fixed sleep) until the frame shows the run's last event. */
async function frame(
  r: ReturnType<typeof render>,
  until: RegExp = /(finished|failed|interrupted) in|running/,
): Promise<string> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const text = r.lastFrame() ?? "";
    if (until.test(text)) return text;
    if (Date.now() > deadline) return text;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function expectFits80(text: string): void {
  // URLs are exempt: cutting one makes it useless, the terminal wraps it.
  for (const line of stripAnsi(text).split("\n"))
    if (!/https:\/\//.test(line)) expect([...line].length).toBeLessThanOrEqual(80);
}

describe("live view", () => {
  it("shows finished steps, running steps with spinner, elapsed time and detail, grouped", async () => {
    // Given a run where the registry and the cluster are being created
    const r = show(runningScript().events);
    // Then the frame shows finished steps once, and each group with its running steps
    const text = await frame(r);
    expect(text).toContain("✓ Preflight     Signed-in credential unchanged");
    expect(text).toMatch(/Azure {2}1\/3 done, 2 running/);
    expect(text).toContain("⠋ Container registry crdemononprod1a2b creating 11.0s");
    expect(text).toContain("⠋ AKS cluster aks-demo-staging updating 11.0s");
    expect(text).toContain("provisioning: Updating, 4s");
    expect(text).toMatch(/Azure DevOps {2}0\/2 done, 1 running, 1 waiting/);
    expect(text).toMatch(/Repository {2}0\/1 done, 1 waiting/);
    expectFits80(text);
    expect(text).toMatchSnapshot();
  });

  it("shows a failure with its message and what to try, and its dependents skipped", async () => {
    const r = show(failedScript().events);
    const text = await frame(r);
    expect(text).toContain("✗ Azure DevOps  Project demo failed");
    expect(text).toContain("error: creating project demo: TF400813");
    expect(text).toContain("try: Ask an organization administrator");
    expect(text).toContain("↷ Repository    Pipeline files in demo skipped: Project demo failed");
    expect(text).toContain("✗ apply failed in 1m01s");
    expect(text).not.toContain("at createProject");
    expectFits80(text);
    expect(text).toMatchSnapshot();
  });

  it("shows the stack of a failure only with debug", async () => {
    const r = show(failedScript().events, { debug: true });
    expect(await frame(r)).toContain("at createProject (steps/devops/project.ts:42:11)");
  });

  it("after an interruption, says what was done and what was not run", async () => {
    const r = show(abortedScript().events);
    const text = await frame(r);
    expect(text).toContain("■ apply interrupted in 20.0s");
    expect(text).toContain("Done before the interruption:");
    expect(text).toContain("✓ Container registry crdemononprod1a2b created");
    expect(text).toContain("✓ Project demo created");
    expect(text).toContain("3 steps were not run.");
    expect(text).not.toContain("Azure portal:");
    expectFits80(text);
    expect(text).toMatchSnapshot();
  });

  it("ends a successful run with counts, links, the flow picture and next steps", async () => {
    const r = show(finishedScript().events);
    const text = await frame(r);
    expect(text).toContain("✓ apply finished in 1m01s");
    expect(text).toContain("4 created, 1 updated, 2 unchanged");
    expect(text).toContain("Azure DevOps:  https://dev.azure.com/contoso/demo");
    expect(text).toContain("pull request ──► PR pipeline");
    expect(text).toContain("Next:");
    // and the live groups are gone
    expect(text).not.toMatch(/\d+\/\d+ done/);
    expectFits80(text);
    expect(text).toMatchSnapshot();
  });

  it("shows the plan screen grouped by change kind with field diffs at the end of a plan", async () => {
    const r = show(planScript().events);
    const text = await frame(r);
    expect(text).toContain("Plan: 2 to create, 2 to update, 3 unchanged");
    expect(text.indexOf("To create (2)")).toBeLessThan(text.indexOf("To update (2)"));
    expect(text.indexOf("To update (2)")).toBeLessThan(text.indexOf("Unchanged (3)"));
    expect(text).toContain("~ update Container registry crdemononprod1a2b");
    expect(text).toContain("adminUserEnabled: true -> false");
    expect(text).toContain("note: already exists");
    expectFits80(text);
    expect(text).toMatchSnapshot();
  });

  it("a plan that failed part-way says it is incomplete, never 'no changes'", async () => {
    const s = planScript();
    const summary = s.events.pop()!;
    expect(summary.type).toBe("summary");
    s.events.push({ ...summary, outcome: "failed", failed: 1, skipped: 2 } as typeof summary);
    const text = await frame(show(s.events));
    expect(text).toContain("Plan incomplete (3 not planned), so far: 2 to create, 2 to update, 3 unchanged");
    expect(text).not.toContain("Plan: 2 to create");
    expectFits80(text);
  });

  it("writes no ANSI escape codes when colour is off (NO_COLOR), and some when on", async () => {
    const off = await frame(show(failedScript().events, { color: false }));
    expect(off).not.toContain("\u001b[");
    const on = await frame(show(failedScript().events, { color: true }));
    expect(on).toContain("\u001b[31m✗");
  });

  it("cuts long titles to 80 columns", async () => {
    const s = runningScript();
    s.push({ type: "progress", stepId: "azure/registry/nonprod", detail: "x".repeat(200) });
    const text = await frame(show(s.events));
    expect(text).toContain("…");
    expectFits80(text);
  });

  it("PlanView renders the same plan screen as the text renderer", async () => {
    const r = render(<PlanView plan={planScript().events} color={false} columns={80} />);
    unmounts.push(r.unmount);
    const text = await frame(r, /Unchanged \(3\)/);
    expect(text).toContain(
      "To update (2)\n  ~ update Container registry crdemononprod1a2b\n      adminUserEnabled: true -> false",
    );
    expectFits80(text);
  });

  it("an apply reusing a plan says created from the known changes, unchanged from the engine's reason", async () => {
    const text = await frame(
      show(reusedPlanScript().events, { known: new Map([["azure/registry/nonprod", { kind: "create" }]]) }),
    );
    expect(text).toContain("✓ Azure         Resource group rg-demo-nonprod unchanged");
    expect(text).toContain("✓ Azure         Container registry crdemononprod1a2b created 2.0s");
  });

  it("keeps a warning of a finished step above the summary, and shows a running step's as its detail", async () => {
    const s = finishedScript();
    const summary = s.events.pop()!;
    s.push({
      type: "log",
      stepId: "azure/registry/nonprod",
      level: "warn",
      message: "admin user was enabled by someone",
    });
    s.events.push(summary);
    const text = await frame(show(s.events));
    expect(text).toContain(
      "warning: Container registry crdemononprod1a2b: admin user was enabled by someone",
    );
    const running = runningScript();
    running.push({ type: "log", stepId: "azure/aks/staging", level: "warn", message: "slow region" });
    expect(await frame(show(running.events))).toMatch(
      /AKS cluster aks-demo-staging updating 11\.0s\n\s+warning: slow region/,
    );
  });

  it("keeps the redrawn area within a short terminal: details first, then '+N more running'", async () => {
    // Given 12 steps creating at once, in a terminal of 12 rows
    const s = new EventScript();
    const many = Array.from({ length: 12 }, (_, i) => ({
      id: `azure/x/${i}`,
      title: `Object ${i}`,
      group: "azure" as const,
      dependsOn: [],
    }));
    s.push({ type: "run-start", mode: "apply", steps: many });
    for (const st of many) s.push({ type: "step-status", stepId: st.id, status: "applying" });
    for (const st of many) s.push({ type: "progress", stepId: st.id, detail: "provisioning: Creating" });
    const store = new RunStore();
    const r = render(
      <LiveView
        store={store}
        color={false}
        debug={false}
        columns={80}
        rows={12}
        animate={false}
        now={() => 1_700_000_001_000}
      />,
    );
    unmounts.push(r.unmount);
    for (const e of s.events) store.dispatch(e);
    const text = await frame(r);
    // Then the live area fits (12 rows minus room for the question) and says what it left out
    expect(text.split("\n").length).toBeLessThanOrEqual(8);
    expect(text).toContain("Azure  0/12 done, 12 running");
    expect(text).toMatch(/\+\d+ more running/);
    expect(text).not.toContain("provisioning: Creating");
  });
});
