import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keys, PtySession } from "../helpers/pty.js";

/**
 * A new user in a real terminal (80x30): answers the wizard, confirms the plan, watches the
 * live view to the summary; then runs again and gets the saved answers and no changes.
 */
describe("the wizard and live view in a real terminal, against the sandbox", () => {
  const cwd = mkdtempSync(join(tmpdir(), "aksb-pty-"));
  const secret = "pty-Secret-value-4711";

  it("first run: wizard -> plan -> confirm -> live view -> summary, exit 0", async () => {
    const s = new PtySession(["--sandbox"], { cwd });
    try {
      const answer = async (prompt: RegExp | string, input = "") => {
        await s.waitFor(prompt);
        s.write(input + keys.enter);
      };
      await s.waitFor(/Signed in as/);
      await answer(/\? Region/);
      await answer(/\? App name/);
      await s.waitFor(/rg-demo-nonprod/); // live preview of derived names
      await answer(/\? Azure DevOps organization URL/);
      await answer(/\? New project name/);
      await answer(/\? New repository name/);
      await answer(/\? Pause for a manual validation before production\?/);
      await answer(/\? Who validates/);
      await answer(/\? Production approvers/);
      await answer(/\? Add another secret\?/);
      await answer(/\? Value of integration-db-password/, secret);
      await s.waitFor(/Review/);
      await answer(/\? Save these answers and continue\?/);
      await s.waitFor(/Plan: \d+ to create/);
      await answer(/\? Apply these changes\?/);
      await s.waitFor(/apply finished/, 120_000);
      // The wizard then offers verify; declining ends the run.
      await answer(/\? Run verify now\?/, "n");
      expect(await s.exited).toBe(0);
      const screen = s.screen();
      expect(screen).toMatch(/\d+ created/);
      expect(screen).toContain("CD pipeline");
      expect(s.output).not.toContain(secret);
    } finally {
      s.kill();
    }
    const saved = readFileSync(join(cwd, "aks-bootstrap.yaml"), "utf8");
    expect(saved.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=/);
    expect(saved).not.toContain(secret);
    // The emulated vault keeps the value (as Key Vault does); its state file and traffic log do not.
    const files = readdirSync(join(cwd, ".sandbox"));
    expect(files).toEqual(expect.arrayContaining(["state.json", "traffic.jsonl"]));
    for (const f of ["state.json", "traffic.jsonl"]) {
      expect(readFileSync(join(cwd, ".sandbox", f), "utf8")).not.toContain(secret);
    }
  });

  it("second run: offers the saved answers, finds nothing to change, exit 0", async () => {
    const s = new PtySession(["--sandbox"], { cwd });
    try {
      await s.waitFor(/\? Use saved answers/);
      s.write(keys.enter);
      await s.waitFor(/no changes/i, 120_000);
      expect(await s.exited).toBe(0);
      expect(s.screen()).toMatch(/Nothing to do/);
      expect(s.screen()).not.toMatch(/\? Value of/);
    } finally {
      s.kill();
    }
  });
});
