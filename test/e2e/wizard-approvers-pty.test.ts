import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startSandbox } from "../../src/sandbox/index.js";
import { runCli } from "../helpers/cli.js";
import { keys, PtySession } from "../helpers/pty.js";

/**
 * Approvers in a real terminal (80x30) against the sandbox, whose organization has the seeded
 * users alex@, megan@ and lee@sandbox.onmicrosoft.com and a [project]\Release Managers group.
 */
/** A saved answers file (as an earlier wizard run leaves it) naming one production approver. */
function saveAnswers(cwd: string, approver: string): void {
  const lines = [
    "app: demo",
    "azure:",
    "  tenantId: 11111111-1111-1111-1111-111111111111",
    "  subscriptionId: 22222222-2222-2222-2222-222222222222",
    "  location: westeurope",
    "devops:",
    "  organizationUrl: https://dev.azure.com/sandbox-org",
    "  project: demo",
    "  repository: demo",
    `  productionApprovers: [${approver}]`,
    "",
  ];
  writeFileSync(join(cwd, "aks-bootstrap.yaml"), lines.join("\n"));
}

describe("production approvers in the wizard (pty, sandbox)", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), "aksb-pty-approvers-"));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("an unknown approver is named at the prompt with a did-you-mean and asked again; empty = the signed-in user", async () => {
    const cwd = tempDir();
    const s = new PtySession(["--sandbox", "--speed", "5000"], { cwd });
    try {
      const answer = async (prompt: RegExp | string, input = "") => {
        await s.waitFor(prompt, 20_000);
        s.write(input + keys.enter);
      };
      await s.waitFor(/Signed in as/, 20_000);
      await answer(/\? Region/);
      await answer(/\? App name/);
      await answer(/\? Azure DevOps organization URL/);
      await answer(/\? New project name/);
      await answer(/\? New repository name/);
      await answer(/\? Pause for a manual validation before production\?/);
      // A default group of the project this run creates is accepted before the project exists
      await answer(/\? Who validates/, "[demo]\\Contributors");
      // The question says what empty means
      await s.waitFor(/empty = you, the signed-in user\n\? Production approvers/, 30_000);
      s.write("megn@sandbox.onmicrosoft.com" + keys.enter);
      // Then the prompt names the unknown entry and the close known user, and stays open
      await s.waitFor(
        /megn@sandbox\.onmicrosoft\.com \(did you mean\s+megan@sandbox\.onmicrosoft\.com\?\) is\s+not a user or group/,
      );
      expect(s.screen()).not.toMatch(/\? Add another secret\?/);
      s.write(keys.backspace.repeat(40) + keys.enter);
      await answer(/\? Add another secret\?/);
      await answer(/\? Value of integration-db-password/, "pty-approvers-secret-1");
      // The review says who "the signed-in user" is, as Azure DevOps names them
      await s.waitFor(/production: you, the signed-in user \(aks-bootstrap-sandbox\)/, 30_000);
      expect(s.screen()).toContain("manual validation on: [demo]\\Contributors");
      await answer(/\? Save these answers and continue\?/);
      await s.waitFor(/Plan: \d+ to create/, 30_000);
      await answer(/\? Apply these changes\?/, "n");
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
    const saved = parse(readFileSync(join(cwd, "aks-bootstrap.yaml"), "utf8")) as {
      devops: { productionApprovers: string[] };
      pipeline: { manualValidation: { approvers: string[] } };
    };
    expect(saved.devops.productionApprovers).toEqual([]);
    expect(saved.pipeline.manualValidation.approvers).toEqual(["[demo]\\Contributors"]);
  }, 120_000);

  it("a plan that fails on a saved approver asks that answer again, accepts a group, plans again and applies", async () => {
    const cwd = tempDir();
    // Given the project exists (a first run made it), and saved answers with a mistyped group
    const first = await runCli(["apply", "--sandbox", "--non-interactive", "--yes", "--speed", "5000"], {
      cwd,
    });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    saveAnswers(cwd, "'[demo]\\Release Managr'");
    const s = new PtySession(["--sandbox", "--speed", "5000"], { cwd });
    try {
      await s.waitFor(/\? Use saved answers/, 30_000);
      s.write(keys.enter);
      // When the plan fails on that answer, Then the wizard says why and asks it again
      await s.waitFor(/did\s+you\s+mean\s+\[demo\]\\Release\s+Managers\?/, 30_000);
      await s.waitFor(/The plan stopped on devops\.productionApprovers\[0\]/, 30_000);
      await s.waitFor(/\? Production approvers/, 30_000);
      s.write(keys.backspace.repeat(40) + "[demo]\\Release Managers" + keys.enter);
      // and plans again with the fixed answer, then applies it
      await s.waitFor(/approvers: \[demo\]\\Release Managers/, 30_000);
      await s.waitFor(/\? Apply these changes\?/, 30_000);
      s.write(keys.enter);
      await s.waitFor(/apply finished/, 120_000);
      // The wizard then offers verify; declining ends the run.
      await s.waitFor(/\? Run verify now\?/, 30_000);
      s.write("n" + keys.enter);
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
    const saved = parse(readFileSync(join(cwd, "aks-bootstrap.yaml"), "utf8")) as {
      devops: { productionApprovers: string[] };
    };
    expect(saved.devops.productionApprovers).toEqual(["[demo]\\Release Managers"]);
    const sandbox = await startSandbox({ dir: join(cwd, ".sandbox") });
    try {
      const state = sandbox.state() as {
        devops: { checks: Record<string, { settings: { approvers: { displayName?: string }[] } }> };
      };
      const approvers = Object.values(state.devops.checks).map((c) =>
        c.settings.approvers.map((a) => a.displayName),
      );
      expect(approvers).toEqual([["[demo]\\Release Managers"]]);
    } finally {
      await sandbox.close();
    }
  }, 180_000);

  it("`plan` from the wizard asks a failing answer again too, then plans with it (nothing applied)", async () => {
    const cwd = tempDir();
    saveAnswers(cwd, "alx@sandbox.onmicrosoft.com");
    const s = new PtySession(["plan", "--sandbox", "--speed", "5000"], { cwd });
    try {
      await s.waitFor(/\? Use saved answers/, 30_000);
      s.write(keys.enter);
      await s.waitFor(/The plan stopped on devops\.productionApprovers\[0\]/, 30_000);
      await s.waitFor(/\? Production approvers/, 30_000);
      s.write(keys.backspace.repeat(40) + "alex@sandbox.onmicrosoft.com" + keys.enter);
      await s.waitFor(/Approval check by Alex Wilber/, 30_000);
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
    expect(readFileSync(join(cwd, "aks-bootstrap.yaml"), "utf8")).toContain("alex@sandbox.onmicrosoft.com");
    const sandbox = await startSandbox({ dir: join(cwd, ".sandbox") });
    try {
      const state = sandbox.state() as { devops: { projects: Record<string, unknown> } };
      expect(Object.keys(state.devops.projects)).toEqual([]);
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});
