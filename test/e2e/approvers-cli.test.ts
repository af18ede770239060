import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/index.js";
import { runCli } from "../helpers/cli.js";

interface StateView {
  resources: Record<string, { type: string }>;
  devops: {
    projects: Record<string, { name: string }>;
    checks: Record<
      string,
      { settings: { approvers: { id: string; displayName?: string }[]; requesterCannotBeApprover?: boolean } }
    >;
  };
}

async function stateOf(dir: string): Promise<StateView> {
  const sandbox = await startSandbox({ dir });
  try {
    return sandbox.state() as StateView;
  } finally {
    await sandbox.close();
  }
}

/**
 * Given the sandbox organization (its seeded users alex@, megan@, lee@sandbox.onmicrosoft.com
 * and its groups), When the answers name production approvers, Then the plan checks each one
 * before anything is created: an unknown one stops the run naming its answers path and the
 * close known name; users and groups are resolved to the ids the Approval check names.
 */
describe("production approvers through the CLI (non-interactive)", () => {
  let dir: string;
  const flags = (sandbox: string, answers: string) => [
    "apply",
    `--sandbox=${join(dir, sandbox)}`,
    "--non-interactive",
    "--yes",
    "--speed",
    "5000",
    "--answers",
    answers,
  ];
  const answers = (file: string, approvers: string[]) => {
    const lines = approvers.map((a) => `    - '${a}'`);
    writeFileSync(join(dir, file), ["devops:", "  productionApprovers:", ...lines, ""].join("\n"));
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "aksb-approvers-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("an unknown approver: exit 1, the field and the did-you-mean in the message, nothing created", async () => {
    const file = answers("typo.yaml", ["alex@sandbox.onmicrosoft.com", "megn@sandbox.onmicrosoft.com"]);
    const res = await runCli(flags("typo", file), { cwd: dir });
    expect(res.code).toBe(1);
    const out = res.stdout + res.stderr;
    expect(out).toContain(
      "no Azure DevOps user or group matches devops.productionApprovers[1] = megn@sandbox.onmicrosoft.com (did you mean megan@sandbox.onmicrosoft.com?)",
    );
    expect(out).toMatch(/try: Fix devops\.productionApprovers in the answers/);
    expect(out).not.toMatch(/\n\s+at .+\.js:\d+/); // no stack trace
    // Nothing was created: no project in the organization, only the sandbox's own role assignment in Azure
    const state = await stateOf(join(dir, "typo"));
    expect(Object.values(state.devops.projects)).toEqual([]);
    expect(Object.values(state.resources).map((r) => r.type)).toEqual([
      "Microsoft.Authorization/roleAssignments",
    ]);
  });

  it("an unknown manual validation approver is refused the same way, before anything is created", async () => {
    writeFileSync(
      join(dir, "validators.yaml"),
      [
        "pipeline:",
        "  manualValidation:",
        "    enabled: true",
        "    approvers: ['[demo]\\Contributors', 'alx@sandbox.onmicrosoft.com']",
        "",
      ].join("\n"),
    );
    const res = await runCli(flags("validators", "validators.yaml"), { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toContain(
      "pipeline.manualValidation.approvers[1] = alx@sandbox.onmicrosoft.com (did you mean alex@sandbox.onmicrosoft.com?)",
    );
    const state = await stateOf(join(dir, "validators"));
    expect(Object.values(state.devops.projects)).toEqual([]);
  });

  it("a user, an organization group and a default group of the project it creates: the check names their ids", async () => {
    const approvers = [
      "Lee@Sandbox.onmicrosoft.com",
      "[sandbox-org]\\Project Collection Administrators",
      "[demo]\\Contributors",
    ];
    const res = await runCli(flags("groups", answers("groups.yaml", approvers)), { cwd: dir });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain(
      "Approval check by Lee Gu, [sandbox-org]\\Project Collection Administrators, [demo]\\Contributors",
    );
    const state = await stateOf(join(dir, "groups"));
    const [check] = Object.values(state.devops.checks);
    expect(check?.settings.approvers.map((a) => a.displayName)).toEqual([
      "Lee Gu",
      "[sandbox-org]\\Project Collection Administrators",
      "[demo]\\Contributors",
    ]);
    expect(check?.settings.approvers[0]?.id).toBe("7d3b2c0a-4e6f-4081-8c3d-5e7f9a1b2c33");
    for (const a of check?.settings.approvers ?? []) expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    // Named approvers are a second person: whoever requested a run may not approve it.
    expect(check?.settings.requesterCannotBeApprover).toBe(true);
    expect(res.stdout).toContain("1 approval needed, not by the requester");
  });
});
