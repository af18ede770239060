import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyPhase,
  applying,
  nthSucceeded,
  progressOf,
  runApply,
  watchApply,
  type KillPoint,
} from "./apply-run.js";
import { findDuplicates, readSandboxState, vaultSecretNames } from "./audit.js";
import { CRASH_ANSWERS, CRASH_SECRETS } from "./fault-model.js";

/**
 * kill -9 of a full apply at step boundaries and inside long operations, then a rerun. The CLI
 * runs its sandbox in-process (`--sandbox=DIR`), so the kill takes the whole world down mid-
 * request: the hardest crash there is. After it: state files parse, the rerun converges, nothing
 * exists twice, no Key Vault secret is lost, the answers file is untouched.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// An AKS create takes 270 s / 180 = 1.5 s: long enough to be killed inside it.
const SPEED = 180;
const DEADLINE_MS = 30_000;

function setup() {
  const root = mkdtempSync(join(tmpdir(), "aks-crash-"));
  dirs.push(root);
  const answers = join(root, "aks-bootstrap.yaml");
  writeFileSync(answers, CRASH_ANSWERS);
  return { dir: join(root, "sandbox"), answers, cwd: root, env: CRASH_SECRETS, speed: SPEED };
}

const killPoints: readonly [string, KillPoint][] = [
  ["at the first step of the apply", (e, all) => applyPhase(all).length > 0 && e.status === "applying"],
  ["after 5 steps finished", nthSucceeded(5)],
  ["after 20 steps finished", nthSucceeded(20)],
  ["inside the staging AKS create (provisioning)", progressOf("azure/aks/staging")],
  ["while writing the Key Vault secrets", applying("azure/key-vault-secrets")],
  ["while pushing the pipeline files", applying("repo/files")],
];

describe("crash: kill -9 during a full apply, then rerun", () => {
  it.concurrent.each(killPoints)(
    "killed %s: the rerun converges, nothing duplicated or lost",
    async (_label, at) => {
      const s = setup();
      // Given: a full apply in progress; When: it is killed -9 at the chosen point
      const run = watchApply(s);
      await run.waitFor(at, DEADLINE_MS);
      await run.kill9();
      const killed = await run.exited;
      expect(killed.signal, "the kill point came after the run had already ended").toBe("SIGKILL");

      // Then: the files a crash could tear still parse, and the answers file is untouched
      expect(() => readSandboxState(s.dir)).not.toThrow();
      expect(() => JSON.parse(readFileSync(join(s.dir, "secrets.json"), "utf8")) as unknown).not.toThrow();
      expect(readFileSync(s.answers, "utf8")).toBe(CRASH_ANSWERS);
      expect(() => parse(CRASH_ANSWERS) as unknown).not.toThrow();

      // When: rerun; Then: it converges (the chaos suite also checks a plan after it), and
      // nothing exists twice
      const rerun = await runApply(s);
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      const state = readSandboxState(s.dir);
      expect(findDuplicates(state)).toEqual([]);
      // And: both secrets are in the vault, and no run printed a secret value
      const names = vaultSecretNames(state).map((n) => n.split("/")[1]);
      expect(names).toEqual(expect.arrayContaining(["db-password", "api-key"]));
      for (const value of Object.values(CRASH_SECRETS)) {
        expect(killed.stdout + killed.stderr + rerun.stdout + rerun.stderr).not.toContain(value);
      }
      expect(readFileSync(s.answers, "utf8")).toBe(CRASH_ANSWERS);
    },
  );

  it.concurrent(
    "killed twice (inside the AKS create, then early in the rerun): the third run converges",
    async () => {
      const s = setup();
      for (const at of [progressOf("azure/aks/staging"), nthSucceeded(3)]) {
        const run = watchApply(s);
        await run.waitFor(at, DEADLINE_MS);
        await run.kill9();
        expect((await run.exited).signal).toBe("SIGKILL");
        expect(() => readSandboxState(s.dir)).not.toThrow();
      }
      const final = await runApply(s);
      expect(final.code, final.stdout + final.stderr).toBe(0);
      const state = readSandboxState(s.dir);
      expect(findDuplicates(state)).toEqual([]);
      expect(vaultSecretNames(state).map((n) => n.split("/")[1])).toEqual(
        expect.arrayContaining(["db-password", "api-key"]),
      );
    },
  );
});
