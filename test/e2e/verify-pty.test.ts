import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { PtySession } from "../helpers/pty.js";

/**
 * verify in a real terminal (100x40): the live view shows the milestones as they pass, each
 * with its link, and ends with the tally; at a gate it shows the waiting milestone and exits 3.
 */
describe("verify's live view in a real terminal, against the sandbox", () => {
  it("follows the flow to production with --approve, exit 0", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "aksb-verify-pty-"));
    const applied = await runCli(["apply", "--sandbox", "--non-interactive", "--yes"], { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    const s = new PtySession(["verify", "--sandbox", "--approve"], { cwd, cols: 100, rows: 40 });
    try {
      await s.waitFor(/verify finished/, 120_000);
      expect(await s.exited).toBe(0);
      const screen = s.screen();
      expect(screen).toMatch(/✓ Verify +PR check demo-pr passed: run \d+/);
      expect(screen).toMatch(/✓ Verify +CD: production deployed to demo-production/);
      expect(screen).toMatch(/_build\/results\?buildId=\d+/);
      expect(screen).toContain("10 of 10 milestones passed");
    } finally {
      s.kill();
    }
  }, 180_000);

  it("stops at the reviewer gate without --approve, exit 3", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "aksb-verify-pty-gate-"));
    const applied = await runCli(["apply", "--sandbox", "--non-interactive", "--yes"], { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    const s = new PtySession(["verify", "--sandbox"], { cwd, cols: 100, rows: 40 });
    try {
      await s.waitFor(/stopped at a gate/, 120_000);
      expect(await s.exited).toBe(3);
      const screen = s.screen();
      expect(screen).toMatch(/‖ Verify +PR merge waiting: pull request !\d+ needs 1 reviewer approval/);
      expect(screen).toMatch(/review and approve: https:\/\/\S+\/pullrequest\/\d+/);
      expect(screen).toMatch(/next: A reviewer other than the author approves it; then rerun/);
    } finally {
      s.kill();
    }
  }, 180_000);
});
