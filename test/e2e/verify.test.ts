import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/types.js";
import { binPath, cleanEnv, repoRoot, runCli } from "../helpers/cli.js";

/**
 * `aks-bootstrap verify` through the public CLI against the sandbox, after a real `apply`:
 * what the operator sees (milestone lines with runs and links, the exit code) and what the
 * emulated Azure DevOps and registries hold afterwards.
 */

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
const RUN_MS = 240_000;

interface SandboxState {
  devops: {
    pullRequests: Record<string, { status: string; sourceRefName: string; title: string }>;
    approvals?: Record<string, { status: string }>;
    builds?: Record<string, { records: { state: string; step?: { task?: string } }[] }>;
  };
  registryImages: Record<string, { repository: string; tag: string }[]>;
  clusterDeployments: Record<string, { images: string[] }[]>;
}

/** A fresh sandbox after `apply` (with an answers file, and drift made, when given). */
async function appliedSandbox(
  prefix: string,
  opts: { answers?: string; drift?: string } = {},
): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  if (opts.answers) writeFileSync(join(cwd, "aks-bootstrap.yaml"), opts.answers);
  const r = await runCli(["apply", "--sandbox", "--non-interactive", "--yes"], { cwd, timeoutMs: RUN_MS });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  if (opts.drift) {
    const drift = await runCli(["sandbox", "drift", opts.drift], { cwd });
    expect(drift.code, drift.stderr).toBe(0);
  }
  return cwd;
}

/** `aks-bootstrap verify --sandbox ...` in that folder. */
const verify = (cwd: string, ...args: string[]) =>
  runCli(["verify", "--sandbox", ...args], { cwd, timeoutMs: RUN_MS });

async function state(cwd: string): Promise<SandboxState> {
  const r = await runCli(["sandbox", "state"], { cwd });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as SandboxState;
}

const verifyPrs = (s: SandboxState) =>
  Object.values(s.devops.pullRequests).filter((p) =>
    p.sourceRefName.startsWith("refs/heads/aks-bootstrap/verify-"),
  );

describe("verify --sandbox --approve on a fresh deployment", () => {
  it(
    "goes PR check -> merge -> CI -> staging -> acceptance -> validation -> approval -> import -> production, exit 0",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-ok-");
      const r = await verify(cwd, "--approve", "--non-interactive");
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const out = r.stdout;
      const milestone = (re: RegExp) => expect(out).toMatch(re);
      milestone(/✓ Pull request with a trivial change opened: !\d+ from aks-bootstrap\/verify-\d{8}-\d{6}/);
      milestone(/✓ PR check demo-pr passed: run \d+ \(\S+\)/);
      milestone(/✓ PR merge completed: pull request !\d+ merged into main as [0-9a-f]{8}/);
      milestone(/✓ CI demo-ci succeeded: run \d+ \(\S+\), image \S+\/demo:\d+ in the non-prod registry/);
      milestone(/✓ CD demo-cd: staging deployed demo:\d+ to demo-staging: run \d+ \(\S+\)/);
      milestone(/✓ CD: acceptance tests passed: run \d+ \(\S+\)/);
      milestone(/✓ CD: manual validation resumed by --approve: run \d+ \(\S+\)/);
      milestone(/✓ CD: approval for demo-production approved by --approve: run \d+ \(\S+\)/);
      milestone(/✓ CD: image into the production registry imported cr\w+prod\w*\.\S+\/demo:\d+/);
      milestone(/✓ CD: production deployed to demo-production: run \d+ \(\S+\)/);
      // every milestone line is followed by its link
      const lines = out.split("\n");
      const passed = lines.flatMap((l, i) => (l.startsWith("[verify] ✓") ? [i] : []));
      expect(passed).toHaveLength(10);
      for (const i of passed) expect(lines[i + 1], lines[i]).toMatch(/^\[verify\] {5}[^:]+: https:\/\//);
      // each run's link, as Azure DevOps gives it
      expect(out.match(/_build\/results\?buildId=\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
      expect(out).toMatch(/pull request !\d+: https:\/\/\S+\/pullrequest\/\d+/);
      expect(out).toMatch(/✓ verify succeeded in \S+: 10 of 10 milestones passed/);
      // The same image tag goes from CI to both registries.
      const tag = /image \S+\/demo:(\d+) in the non-prod registry/.exec(out)?.[1];
      expect(out).toContain(`/demo:${tag}: run`);
      const s = await state(cwd);
      expect(verifyPrs(s).map((p) => p.status)).toEqual(["completed"]);
      // Emulated registries and clusters: the image in both registries, running in production.
      const images = (registry: RegExp) =>
        Object.entries(s.registryImages)
          .filter(([id]) => registry.test(id))
          .flatMap(([, list]) => list.map((i) => `${i.repository}:${i.tag}`));
      expect(images(/\/rg-demo-nonprod\//)).toContain(`demo:${tag}`);
      expect(images(/\/rg-demo-prod\//)).toContain(`demo:${tag}`);
      const prodImages = Object.entries(s.clusterDeployments)
        .filter(([id]) => id.endsWith("/aks-demo-prod"))
        .flatMap(([, list]) => list.flatMap((d) => d.images));
      expect(prodImages.some((i) => i.endsWith(`/demo:${tag}`))).toBe(true);
    },
    RUN_MS * 2,
  );
});

describe("verify with a failing unit test (sandbox fault unit-test-fail)", () => {
  it(
    "exits 1 naming the failing step and its error; the pull request is not completed; a rerun abandons it",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-fail-");
      const r = await verify(cwd, "--approve", "--faults", "unit-test-fail");
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/✗ PR check demo-pr failed/);
      expect(r.stdout).toMatch(
        /error: demo-pr run \d+ \(\S+\) failed at .*step "[^"]*[Uu]nit tests[^"]*": Bash exited with code '1'\./,
      );
      expect(r.stdout).toContain("was not completed: the branch policy requires this check to pass");
      expect(r.stdout).toMatch(/↷ PR merge skipped/);
      noStack(r.stdout + r.stderr);
      expect(verifyPrs(await state(cwd)).map((p) => p.status)).toEqual(["active"]);
      // When the cause is gone, a rerun abandons that pull request (it can never pass) and starts anew.
      const again = await verify(cwd, "--approve");
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toMatch(/abandoned pull request !1: its PR check had failed/);
      expect(again.stdout).toMatch(/✓ Pull request with a trivial change opened: !2/);
      expect(verifyPrs(await state(cwd)).map((p) => p.status)).toEqual(["abandoned", "completed"]);
    },
    RUN_MS * 2,
  );
});

describe("verify when CD may not use the production environment", () => {
  it(
    "reports the run waiting for permission, naming the environment and the fix, exit 1",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-perm-", { drift: "pipeline-permission" });
      const r = await verify(cwd, "--approve", "--output", "json");
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const events = r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as EngineEvent);
      // NDJSON only: the engine's event stream, numbered from 1 without gaps, mode "verify"
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events[0]).toMatchObject({ type: "run-start", mode: "verify" });
      expect(events.at(-1)).toMatchObject({ type: "summary", mode: "verify", outcome: "failed" });
      const failed = events.find((e) => e.type === "step-status" && e.status === "failed");
      expect(failed).toMatchObject({ stepId: expect.stringMatching(/^verify\/cd-/) as unknown });
      const error = failed?.type === "step-status" ? failed.error : undefined;
      expect(error?.message).toMatch(
        /demo-cd run \d+ \(\S+\) is waiting for permission: .* uses environment demo-production/,
      );
      expect(error?.hint).toContain("Rerun `aks-bootstrap apply`");
      expect(error?.hint).toMatch(/_build\/results\?buildId=\d+/);
      // staging ran before the production stage asked for the environment
      const passed = events
        .filter((e) => e.type === "step-status" && e.status === "succeeded")
        .map((e) => e.type === "step-status" && e.stepId);
      expect(passed).toContain("verify/cd-staging");
    },
    RUN_MS * 2,
  );
});

describe("verify when the production Approval check was removed (sandbox drift approval-check)", () => {
  it(
    "says no approval was asked and how to restore it; the flow still reaches production",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-nocheck-", { drift: "approval-check" });
      const r = await verify(cwd, "--approve");
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        /✓ CD: approval for demo-production not asked: environment demo-production has no Approval check \(rerun `aks-bootstrap apply` to restore it\)/,
      );
      expect(r.stdout).toMatch(/✓ CD: production deployed to demo-production/);
    },
    RUN_MS * 2,
  );
});

describe("verify without --approve stops at the first gate that needs a person, exit 3", () => {
  it(
    "the reviewer policy (minimumReviewers 1): the pull request's link; a rerun continues with it",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-review-");
      const r = await verify(cwd);
      expect(r.code, r.stdout + r.stderr).toBe(3);
      expect(r.stdout).toMatch(/✓ PR check demo-pr passed/);
      expect(r.stdout).toMatch(/‖ PR merge waiting: pull request !\d+ needs 1 reviewer approval\(s\)/);
      expect(r.stdout).toMatch(/review and approve: https:\/\/\S+\/pullrequest\/\d+/);
      expect(r.stdout).toMatch(/‖ verify stopped at a gate/);
      expect(verifyPrs(await state(cwd)).map((p) => p.status)).toEqual(["active"]);
      expect(r.stdout).toContain("then rerun `aks-bootstrap verify`: it continues with this pull request");
      // A rerun continues with the same pull request instead of opening another.
      const again = await verify(cwd, "--approve");
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toMatch(
        /✓ Pull request with a trivial change continued: !1 from aks-bootstrap\/verify-/,
      );
      expect(verifyPrs(await state(cwd)).map((p) => p.status)).toEqual(["completed"]);
    },
    RUN_MS * 2,
  );

  it(
    "the manual validation (no reviewer policy): the CD run's link; a rerun follows that run on",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-gate-", {
        answers: "app: demo\ndevops:\n  minimumReviewers: 0\n",
      });
      const r = await verify(cwd);
      expect(r.code, r.stdout + r.stderr).toBe(3);
      expect(r.stdout).toMatch(/✓ CD: acceptance tests passed/);
      expect(r.stdout).toMatch(/‖ CD: manual validation waiting: manual validation needed at /);
      expect(r.stdout).toMatch(
        /resume or reject on run \d+ \(\S+\): https:\/\/\S+_build\/results\?buildId=\d+/,
      );
      expect(r.stdout).toMatch(/↷ CD: production skipped: behind the gate above/);
      expect(r.stdout).toContain("next: A person acts at the link above");
      // A rerun follows the same waiting CD run on (no new pull request) and, approving, to production.
      const cdRun = /resume or reject on (run \d+)/.exec(r.stdout)?.[1];
      const again = await verify(cwd, "--approve");
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toMatch(
        /✓ Pull request with a trivial change continued: !1, merged by an earlier verify; demo-cd run \d+ \(\S+\) has not finished/,
      );
      expect(again.stdout).toMatch(/✓ PR merge completed earlier: pull request !1 merged into main/);
      expect(again.stdout).toContain(`✓ CD: production deployed to demo-production: ${cdRun} (`);
      expect(verifyPrs(await state(cwd)).map((p) => p.status)).toEqual(["completed"]);
    },
    RUN_MS * 2,
  );
});

describe("verify --approve when the signed-in identity may not approve production", () => {
  it(
    "production approvers are a group it is not in: exit 3 naming the approval and the group, which stays pending",
    async () => {
      // A group that is not one of a project's defaults can be named once the project exists.
      const cwd = await appliedSandbox("aksb-verify-notapprover-");
      writeFileSync(
        join(cwd, "aks-bootstrap.yaml"),
        'app: demo\ndevops:\n  productionApprovers: ["[demo]\\\\Release Managers"]\n',
      );
      const reapply = await runCli(["apply", "--sandbox", "--non-interactive", "--yes"], {
        cwd,
        timeoutMs: RUN_MS,
      });
      expect(reapply.code, reapply.stdout + reapply.stderr).toBe(0);
      expect(reapply.stdout).toMatch(/Approval check on demo-production/);
      const r = await verify(cwd, "--approve");
      expect(r.code, r.stdout + r.stderr).toBe(3);
      noStack(r.stdout + r.stderr);
      expect(r.stdout).toMatch(/✓ CD: manual validation resumed by --approve/);
      expect(r.stdout).toMatch(
        /‖ CD: approval for demo-production waiting: the approval for .+ is waiting, and --approve may not answer it: Azure DevOps refused the signed-in identity \(.*is not authorized to approve.*Approvers: \[demo\]\\Release Managers\)/,
      );
      expect(r.stdout).toMatch(/approve on run \d+ \(\S+\): https:\/\/\S+_build\/results\?buildId=\d+/);
      expect(r.stdout).toMatch(/↷ CD: production skipped: behind the gate above/);
      expect(r.stdout).toContain("One of its approvers opens the run");
      const approvals = Object.values((await state(cwd)).devops.approvals ?? {}).map((a) => a.status);
      expect(approvals).toEqual(["pending"]);
    },
    RUN_MS * 2,
  );
});

describe("verify --approve when the manual validation names its validators", () => {
  it(
    "a validator other than the signed-in identity: exit 3 at the manual validation, which keeps waiting",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-validator-", {
        answers:
          "app: demo\npipeline:\n  manualValidation:\n    approvers: [megan@sandbox.onmicrosoft.com]\n",
      });
      const r = await verify(cwd, "--approve");
      expect(r.code, r.stdout + r.stderr).toBe(3);
      noStack(r.stdout + r.stderr);
      expect(r.stdout).toMatch(/✓ CD: acceptance tests passed/);
      expect(r.stdout).toMatch(
        /‖ CD: manual validation waiting: the manual validation at .+ is waiting, and --approve may not answer it: Azure DevOps refused the signed-in identity \(.*Approvers: megan@sandbox\.onmicrosoft\.com/,
      );
      expect(r.stdout).toMatch(
        /resume or reject on run \d+ \(\S+\): https:\/\/\S+_build\/results\?buildId=\d+/,
      );
      expect(r.stdout).toMatch(/↷ CD: approval for demo-production skipped: behind the gate above/);
      const validation = Object.values((await state(cwd)).devops.builds ?? {})
        .flatMap((b) => b.records)
        .filter((t) => /^ManualValidation@/i.test(t.step?.task ?? ""));
      expect(validation.map((t) => t.state)).toEqual(["inProgress"]);
    },
    RUN_MS * 2,
  );

  it(
    "a validator group the signed-in identity is in, but it requested the run: exit 3, the requester may not resume it",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-requester-", {
        answers:
          "app: demo\npipeline:\n  manualValidation:\n    approvers: ['[demo]\\Project Administrators']\n",
      });
      const r = await verify(cwd, "--approve");
      expect(r.code, r.stdout + r.stderr).toBe(3);
      noStack(r.stdout + r.stderr);
      expect(r.stdout).toMatch(
        /‖ CD: manual validation waiting: .+ Azure DevOps refused the signed-in identity \(.*requested this run and cannot resume or reject/,
      );
      const validation = Object.values((await state(cwd)).devops.builds ?? {})
        .flatMap((b) => b.records)
        .filter((t) => /^ManualValidation@/i.test(t.step?.task ?? ""));
      expect(validation.map((t) => t.state)).toEqual(["inProgress"]);
    },
    RUN_MS * 2,
  );
});

describe("verify before apply, and interrupted", () => {
  it("on a sandbox where apply never ran: exit 1, says to run apply first", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "aksb-verify-empty-"));
    const r = await runCli(["verify", "--sandbox"], { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/error: Azure DevOps project demo was not found/);
    expect(r.stdout).toContain("Run `aks-bootstrap apply` first");
    noStack(r.stdout + r.stderr);
  });

  it(
    "SIGTERM while a run is followed: exit 130, the milestone marked interrupted",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-term-");
      const child = spawn(process.execPath, [binPath, "verify", "--sandbox", "--approve"], {
        cwd,
        env: cleanEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const code = new Promise<number | null>((resolve) => child.on("close", resolve));
      const deadline = Date.now() + 60_000;
      while (!/PR check demo-pr: run \d+/.test(out) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill("SIGTERM");
      expect(await code).toBe(130);
      // The milestone running when the signal came (the PR check, unless the machine is slow).
      expect(out).toMatch(/■ (PR check demo-pr|PR merge|CI demo-ci|CD[^\n]*) aborted: run interrupted/);
      expect(out).toMatch(/■ verify interrupted/);
    },
    RUN_MS,
  );
});

describe("verify with a deadline", () => {
  it(
    "--timeout: exit 1 naming what it waited for and where to look",
    async () => {
      const cwd = await appliedSandbox("aksb-verify-timeout-");
      // A slow sandbox (a tenth of the usual speed): the PR check outlasts a 1 s deadline.
      const r = await verify(cwd, "--approve", "--speed", "0.1", "--timeout", "1s");
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(
        /error: Timed out after 1s waiting for demo-pr (to be queued|run \d+ \(\S+\) to finish)/,
      );
      expect(r.stdout).toMatch(/try: See https:\/\/\S+\. Rerun with a longer --timeout/);
      noStack(r.stdout + r.stderr);
    },
    RUN_MS,
  );
});

describe("verify --help", () => {
  it("says what verify does, its flags and its exit codes", async () => {
    const r = await runCli(["verify", "--help"]);
    expect(r.code).toBe(0);
    for (const word of ["--approve", "--timeout", "sandbox only", "3 stopped at a gate", "--yes"])
      expect(r.stdout).toContain(word);
    const overview = await runCli(["--help"]);
    expect(overview.stdout).toMatch(/verify {2,}open a PR, merge it/);
    expect(overview.stdout).toContain("3 verify stopped at a gate");
  });
});

describe("verify refuses before anything starts", () => {
  it("--approve off the sandbox: exit 1, says approvers approve on Azure", async () => {
    const r = await runCli(["verify", "--approve", "--answers", join(repoRoot, "examples", "answers.yaml")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--approve works on the sandbox only");
    noStack(r.stderr);
  });

  it("a bad --timeout: exit 1 naming the option and an example", async () => {
    const r = await runCli(["verify", "--sandbox", "--timeout", "ten"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--timeout must be a duration like 90s, 10m or 1h30m/);
    noStack(r.stderr);
  });

  it("on Azure without a terminal and without --yes: never merges, names --yes", async () => {
    const r = await runCli([
      "verify",
      "--non-interactive",
      "--answers",
      join(repoRoot, "examples", "answers.yaml"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("verify merges a pull request into main of shop");
    expect(r.stderr).toContain("Pass --yes");
    noStack(r.stderr);
  });
});
