import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/types.js";
import { binPath, cleanEnv, runCli } from "../helpers/cli.js";

describe("Ctrl-C during apply", () => {
  it("stops starting work, lets running steps finish, exits 130, and a rerun converges", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "aksb-int-"));
    // Given an apply whose AKS creates take a while (slow sandbox clock)
    const child = spawn(
      process.execPath,
      [binPath, "apply", "--sandbox", "--non-interactive", "--yes", "--output", "json", "--speed", "60"],
      { cwd, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] },
    );
    const events: EngineEvent[] = [];
    let buffer = "";
    let interrupted = false;
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdout.on("data", (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const e = JSON.parse(buffer.slice(0, nl)) as EngineEvent;
        buffer = buffer.slice(nl + 1);
        events.push(e);
        // When a cluster is being created, the operator presses Ctrl-C
        if (
          !interrupted &&
          e.type === "step-status" &&
          e.status === "applying" &&
          e.stepId.startsWith("azure/aks/")
        ) {
          interrupted = true;
          child.kill("SIGINT");
        }
      }
    });
    const code = await exited;
    // Then the run ends as interrupted, with nothing left running
    expect(interrupted).toBe(true);
    expect(code).toBe(130);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({ type: "summary", mode: "apply", outcome: "aborted" });
    const last = new Map<string, string>();
    for (const e of events) if (e.type === "step-status") last.set(e.stepId, e.status);
    expect([...last.values()].filter((s) => s === "applying" || s === "detecting")).toEqual([]);
    expect([...last.values()]).toContain("aborted");
    // And a rerun picks up where it stopped and converges
    const rerun = await runCli(["apply", "--sandbox", "--non-interactive", "--yes"], { cwd });
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    const plan = await runCli(["plan", "--sandbox", "--non-interactive", "--detailed-exitcode"], { cwd });
    expect(plan.code).toBe(0);
  });
});
