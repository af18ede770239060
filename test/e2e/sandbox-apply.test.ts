import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/types.js";
import { runCli } from "../helpers/cli.js";

const sandboxState = async (cwd: string) => {
  const r = await runCli(["sandbox", "state"], { cwd });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { resources: Record<string, unknown>; devops: unknown };
};

describe("the README's try command, non-interactive, on the sandbox", () => {
  const cwd = mkdtempSync(join(tmpdir(), "aksb-try-"));

  it("converges everything with no input at all, streaming NDJSON events", async () => {
    const r = await runCli(["apply", "--sandbox", "--non-interactive", "--yes", "--output", "json"], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as EngineEvent);
    // two runs (plan, apply), each numbered from 1 without gaps
    const starts = events.filter((e) => e.type === "run-start");
    expect(starts.map((e) => e.type === "run-start" && e.mode)).toEqual(["plan", "apply"]);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({ type: "summary", mode: "apply", outcome: "succeeded", failed: 0 });
    expect(summary.type === "summary" && summary.counts.create).toBeGreaterThan(40);
    const state = JSON.stringify(await sandboxState(cwd));
    for (const name of ["aks-demo-staging", "aks-demo-prod", "id-demo-ci", "demo-cd", "sc-demo-prod"]) {
      expect(state).toContain(name);
    }
  });

  it("then plan --detailed-exitcode finds no drift (exit 0)", async () => {
    const r = await runCli(["plan", "--sandbox", "--non-interactive", "--detailed-exitcode"], { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Nothing to do/);
  });

  it("--sandbox state survives between runs: the saved state file is valid JSON", () => {
    expect(
      () => JSON.parse(readFileSync(join(cwd, ".sandbox", "state.json"), "utf8")) as unknown,
    ).not.toThrow();
  });
});

describe("a refused Azure DevOps credential", () => {
  it("stops the run before anything is created, names the variable and never echoes the token", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "aksb-pat-"));
    const token = "wrong-pat-0123456789abcdef";
    const r = await runCli(["apply", "--sandbox", "--non-interactive", "--yes"], {
      cwd,
      env: { AZURE_DEVOPS_EXT_PAT: token },
    });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("AZURE_DEVOPS_EXT_PAT");
    expect(r.stdout + r.stderr).not.toContain(token);
    // The PAT travels as Basic base64(":" + token): look for that form too.
    const traffic = readFileSync(join(cwd, ".sandbox", "traffic.jsonl"), "utf8");
    expect(traffic).toContain("connectionData"); // the sign-in check did reach the service
    expect(traffic).not.toContain(token);
    expect(traffic).not.toContain(Buffer.from(`:${token}`).toString("base64"));
    const state = await sandboxState(cwd);
    const created = Object.keys(state.resources).filter((id) => !/roleassignments\/00000000-/.test(id));
    expect(created).toEqual([]);
  });
});
