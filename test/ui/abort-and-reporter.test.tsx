import { render } from "ink-testing-library";
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { LiveView } from "../../src/ui/live/LiveView.js";
import { RunStore } from "../../src/ui/live/run-state.js";
import { createReporter } from "../../src/ui/reporter.js";
import { EventScript, finishedScript, runningScript } from "./fixtures.js";

/** Waits (deadline 2 s, no fixed sleep) for a condition. */
async function until<T>(probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("condition not met before the deadline");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A stdout that records writes, as a terminal of 80 columns. */
class FakeTerminal extends EventEmitter {
  columns = 80;
  rows = 40;
  isTTY = true;
  chunks: string[] = [];
  write = (s: string): boolean => {
    this.chunks.push(s);
    return true;
  };
  text(): string {
    return this.chunks.join("");
  }
}

describe("Ctrl-C question in the live view", () => {
  it("asks, and on 'n' keeps running; on 'y' says it is stopping", async () => {
    // Given a running run and the question showing
    const store = new RunStore();
    const answers: boolean[] = [];
    const onAbortAnswer = (stop: boolean): void => {
      answers.push(stop);
      store.setUi({ askingAbort: false, stopping: stop });
    };
    const r = render(
      <LiveView
        store={store}
        color={false}
        debug={false}
        columns={80}
        animate={false}
        now={() => 1_700_000_012_000}
        onAbortAnswer={onAbortAnswer}
      />,
    );
    for (const e of runningScript().events) store.dispatch(e);
    store.setUi({ askingAbort: true });
    await until(() => r.lastFrame()?.includes("Stop the run?"));
    // When the operator answers no
    r.stdin.write("n");
    await until(() => answers.length === 1);
    expect(answers).toEqual([false]);
    await until(() => !r.lastFrame()?.includes("Stop the run?"));
    // When asked again and the operator answers yes
    store.setUi({ askingAbort: true });
    await until(() => r.lastFrame()?.includes("Stop the run?"));
    r.stdin.write("y");
    await until(() => answers.length === 2);
    expect(answers[1]).toBe(true);
    expect(
      await until(() => r.lastFrame()?.includes("Stopping: waiting for running operations") && r.lastFrame()),
    ).not.toContain("Stop the run?");
    r.unmount();
  });
});

describe("createReporter", () => {
  it("tty: draws the run and leaves the summary on screen after close", async () => {
    const stdout = new FakeTerminal();
    const reporter = await createReporter("tty", {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new FakeTerminal() as unknown as NodeJS.WriteStream,
      color: false,
      debug: false,
      columns: 80,
      links: { pipelines: "https://dev.azure.com/contoso/demo/_build" },
    });
    for (const e of finishedScript().events) reporter.onEvent(e);
    await reporter.close();
    const text = stdout.text();
    expect(text).toContain("✓ apply finished in 1m01s");
    expect(text).toContain("Pipelines:     https://dev.azure.com/contoso/demo/_build");
    expect(text).not.toContain("\u001b[32m");
  });

  it("tty: a plan taller than the terminal scrolls (static output) instead of clearing the screen", async () => {
    // Given a terminal of 10 rows and a plan of 40 changes
    const stdout = new FakeTerminal();
    stdout.rows = 10;
    const reporter = await createReporter("tty", {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new FakeTerminal() as unknown as NodeJS.WriteStream,
      color: false,
      debug: false,
      columns: 80,
    });
    const s = new EventScript();
    const steps = Array.from({ length: 40 }, (_, i) => ({
      id: `s${i}`,
      title: `Object ${i}`,
      group: "azure" as const,
      dependsOn: [],
    }));
    s.push({ type: "run-start", mode: "plan", steps });
    for (const st of steps)
      s.push({ type: "plan", stepId: st.id, title: st.title, group: st.group, change: { kind: "create" } });
    for (const st of steps) s.push({ type: "step-status", stepId: st.id, status: "planned" });
    s.push({
      type: "summary",
      mode: "plan",
      outcome: "succeeded",
      counts: { create: 40, update: 0, delete: 0, noop: 0 },
      failed: 0,
      skipped: 0,
      durationMs: 10,
    });
    for (const e of s.events) reporter.onEvent(e);
    await reporter.close();
    // Then the whole plan is printed and Ink never clears the terminal (which erases scrollback)
    const text = stdout.text();
    expect(text).toContain("+ create Object 39");
    expect(text).not.toContain("\u001b[3J");
    expect(text).not.toContain("\u001b[2J");
  });

  it("plain and json never load Ink or React", async () => {
    vi.resetModules();
    vi.doMock("ink", () => {
      throw new Error("ink was loaded");
    });
    vi.doMock("react", () => {
      throw new Error("react was loaded");
    });
    try {
      const { createReporter: fresh } = await import("../../src/ui/reporter.js");
      for (const kind of ["plain", "json"] as const) {
        const out = new PassThrough();
        const reporter = await fresh(kind, { stdout: out, stderr: out, color: false, debug: false });
        for (const e of finishedScript().events) reporter.onEvent(e);
        await reporter.close();
      }
      // and the guard itself works: tty does load ink
      await expect(
        fresh("tty", { stdout: new PassThrough(), stderr: new PassThrough(), color: false, debug: false }),
      ).rejects.toThrow(/was loaded|mocking a module/);
    } finally {
      vi.doUnmock("ink");
      vi.doUnmock("react");
      vi.resetModules();
    }
  });
});
