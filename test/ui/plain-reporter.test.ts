import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Change, EngineEvent } from "../../src/engine/types.js";
import { createReporter } from "../../src/ui/reporter.js";
import {
  abortedScript,
  failedScript,
  finishedScript,
  planScript,
  reusedPlanScript,
  runningScript,
} from "./fixtures.js";

/** Given events, runs them through a reporter of `kind` and returns what it wrote to stdout. */
async function output(
  kind: "plain" | "json",
  events: readonly EngineEvent[],
  opts: { color?: boolean; debug?: boolean; changes?: ReadonlyMap<string, Change> } = {},
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: string[] = [];
  stdout.on("data", (c: Buffer) => chunks.push(c.toString("utf8")));
  const reporter = await createReporter(kind, {
    stdout,
    stderr,
    color: opts.color ?? false,
    debug: opts.debug ?? false,
    links: { devopsProject: "https://dev.azure.com/contoso/demo" },
    ...(opts.changes ? { changes: opts.changes } : {}),
  });
  for (const e of events) reporter.onEvent(e);
  await reporter.close();
  return chunks.join("");
}

describe("plain reporter", () => {
  it("writes one greppable line per meaningful event of a successful apply", async () => {
    const text = await output("plain", finishedScript().events);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("aks-bootstrap apply: 7 steps");
    expect(lines).toContain("[azure] + create Container registry crdemononprod1a2b");
    expect(lines).toContain("[azure] ~ update AKS cluster aks-demo-staging");
    expect(lines).toContain("[azure]     properties.kubernetesVersion: 1.32 -> 1.33");
    expect(lines).toContain("[azure] = unchanged Resource group rg-demo-nonprod");
    expect(lines).toContain("[azure] … Container registry crdemononprod1a2b creating");
    expect(lines).toContain("[azure] ✓ Container registry crdemononprod1a2b created (12.3s)");
    expect(lines).toContain("[azure]   AKS cluster aks-demo-staging: provisioning: Updating, 4s");
    expect(lines).toContain(
      "✓ apply succeeded in 1m01s: 4 created, 1 updated, 2 unchanged, 0 failed, 0 skipped",
    );
    expect(lines).toContain("Azure DevOps:  https://dev.azure.com/contoso/demo");
    expect(text).toMatchSnapshot();
  });

  it("prints failures with error: and try: lines, and dependents as skipped", async () => {
    const text = await output("plain", failedScript().events);
    expect(text).toContain("[devops] ✗ Project demo failed (2.0s)\n");
    expect(text).toContain("[devops]   error: creating project demo: TF400813");
    expect(text).toContain("[devops]   try: Ask an organization administrator");
    expect(text).toContain("[repo] ↷ Pipeline files in demo skipped: Project demo failed");
    expect(text).toContain("✗ apply failed in 1m01s: 1 created, 1 updated, 2 unchanged, 1 failed, 2 skipped");
    expect(text).not.toContain("at createProject");
  });

  it("prints the stack only with debug", async () => {
    expect(await output("plain", failedScript().events, { debug: true })).toContain("at createProject");
  });

  it("reports an interrupted run", async () => {
    const text = await output("plain", abortedScript().events);
    expect(text).toContain("[azure] ■ AKS cluster aks-demo-staging aborted: interrupted");
    expect(text).toContain("■ apply interrupted in 20.0s");
    expect(text).toContain("next: Rerun the same command to continue");
  });

  it("reports a plan with counts to create and update", async () => {
    const text = await output("plain", planScript().events);
    expect(text).toContain("[azure]     adminUserEnabled: true -> false");
    expect(text).toContain("✓ plan succeeded in 900ms: 2 to create, 2 to update, 3 unchanged");
    expect(text).toContain("next: Run `aks-bootstrap apply`");
  });

  it("a plan without changes says there is nothing to do", async () => {
    const s = planScript();
    const summary = s.events.pop()!;
    s.events.push({ ...summary, counts: { create: 0, update: 0, delete: 0, noop: 7 } } as typeof summary);
    const text = await output("plain", s.events);
    expect(text).toContain("next: Nothing to do: everything matches the answers.");
    expect(text).not.toContain("aks-bootstrap apply");
  });

  it("has no ANSI codes when colour is off, and colours when on", async () => {
    expect(await output("plain", failedScript().events, { color: false })).not.toContain("\u001b[");
    expect(await output("plain", failedScript().events, { color: true })).toContain("\u001b[31m✗");
  });

  it("an apply reusing a plan: uses the engine's reason, the known changes, or neutral words", async () => {
    // Given no plan events in the run and no known changes
    const bare = await output("plain", reusedPlanScript().events);
    expect(bare).toContain("[azure] ✓ Resource group rg-demo-nonprod unchanged\n");
    expect(bare).toContain("[azure] … Container registry crdemononprod1a2b applying\n");
    expect(bare).toContain("[azure] ✓ Container registry crdemononprod1a2b done (2.0s)\n");
    // Given the plan's changes passed in
    const known = await output("plain", reusedPlanScript().events, {
      changes: new Map([["azure/registry/nonprod", { kind: "create" }]]),
    });
    expect(known).toContain("[azure] … Container registry crdemononprod1a2b creating\n");
    expect(known).toContain("[azure] ✓ Container registry crdemononprod1a2b created (2.0s)\n");
  });

  it("prints a polling detail when its state changes, or every 30 s, not on every poll", async () => {
    const s = runningScript();
    for (let t = 6; t <= 70; t += 2)
      s.at(t * 1000).push({
        type: "progress",
        stepId: "azure/aks/staging",
        detail: `provisioning: Creating, ${t}s`,
      });
    s.at(71_000).push({
      type: "progress",
      stepId: "azure/aks/staging",
      detail: "provisioning: Succeeded, 1m11s",
    });
    const lines = (await output("plain", s.events))
      .split("\n")
      .filter((l) => l.includes("AKS cluster aks-demo-staging: provisioning"));
    expect(lines.map((l) => l.replace(/^.*provisioning: /, ""))).toEqual([
      "Updating, 4s",
      "Creating, 6s",
      "Creating, 36s",
      "Creating, 66s",
      "Succeeded, 1m11s",
    ]);
  });

  it("says a repeated progress detail once", async () => {
    const s = finishedScript();
    s.push({ type: "progress", stepId: "azure/aks/staging", detail: "same" });
    s.push({ type: "progress", stepId: "azure/aks/staging", detail: "same" });
    const text = await output("plain", s.events);
    expect(text.split("\n").filter((l) => l.endsWith(": same"))).toHaveLength(1);
  });
});

describe("json reporter", () => {
  it("writes exactly one JSON event per line, in order, and nothing else", async () => {
    const events = failedScript().events;
    const text = await output("json", events);
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(events.length);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(events);
  });
});
