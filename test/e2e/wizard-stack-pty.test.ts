import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import { keys, PtySession } from "../helpers/pty.js";

/**
 * Given the sandbox's repository holding a team's Poetry app (`sandbox seed-repo --stack
 * python`), When a user picks that repository in the wizard in a real terminal, Then the
 * wizard says what it detected, offers it as the default, and lets the user change it; the
 * plan follows the choice and the saved answers name it.
 */
describe("the wizard shows the detected stack and lets the user change it (pty, sandbox)", () => {
  const cwd = mkdtempSync(join(tmpdir(), "aksb-pty-stack-"));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("detects Python with poetry, the user switches to pip, the plan and the saved answers follow", async () => {
    const seeded = await runCli(
      ["sandbox", "seed-repo", "--stack", "python", "--dir", join(cwd, ".sandbox")],
      {
        cwd,
      },
    );
    expect(seeded.code, seeded.stderr).toBe(0);

    const s = new PtySession(["--sandbox"], { cwd });
    try {
      const answer = async (prompt: RegExp | string, input = "") => {
        await s.waitFor(prompt, 20_000);
        s.write(input + keys.enter);
      };
      await s.waitFor(/Signed in as/);
      await answer(/\? Region/);
      await answer(/\? App name/);
      await answer(/\? Azure DevOps organization URL/);
      // The seeded project and repository exist: pick them (the defaults).
      await answer(/\? Project/);
      await answer(/\? Repository/);
      // (80 columns: the list of files wraps)
      await s.waitFor(/✔ Detected: Python 3\.12 with poetry \(pyproject\.toml, poetry\.lock, \.python-/);
      await s.waitFor("no Dockerfile: one is generated for it");
      await s.waitFor(/❯ Python 3\.12 with poetry \(detected\)/);
      // Down past npm, pnpm and yarn to "Python with pip".
      for (let i = 0; i < 4; i++) s.write(keys.down);
      await answer(/❯ Python with pip/);
      await answer(/\? Pause for a manual validation before production\?/);
      await answer(/\? Who validates/);
      await answer(/\? Production approvers/);
      await answer(/\? Add another secret\?/);
      await answer(/\? Value of integration-db-password/, "pty-stack-secret-1");
      await answer(/\? Save these answers and continue\?/);
      await s.waitFor(/Plan: \d+ to create/);
      await s.waitFor(/stack: Python 3\.12 with pip \(from the answers' stack/);
      await answer(/\? Apply these changes\?/, "n");
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
    const saved = parse(readFileSync(join(cwd, "aks-bootstrap.yaml"), "utf8")) as { stack?: unknown };
    expect(saved.stack).toEqual({ language: "python", tool: "pip" });
  }, 180_000);
});
