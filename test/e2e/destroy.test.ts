import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/clients/azure.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { run } from "./drift-harness.js";

const SPEED = "5000";

interface StateView {
  resources: Record<string, { id: string; type: string; body: Record<string, unknown> }>;
  deletedVaults: Record<string, unknown>;
  devops: {
    projects: Record<string, { name: string }>;
    repositories: Record<string, { name: string; projectId: string }>;
    serviceEndpoints: Record<string, unknown>;
    definitions: Record<string, unknown>;
    environments: Record<string, unknown>;
    variableGroups: Record<string, unknown>;
  };
}

/** Everything in the sandbox, as object keys (AKS's node groups included: they go with their cluster). */
function inventory(state: StateView): string[] {
  const azure = Object.values(state.resources).map((r) => r.id.toLowerCase());
  const d = state.devops;
  const devops = [
    ...Object.values(d.projects).map((p) => `project ${p.name}`),
    ...Object.entries(d.repositories).map(([k, r]) => `repository ${r.name} ${k}`),
    ...Object.keys(d.serviceEndpoints).map((k) => `endpoint ${k}`),
    ...Object.keys(d.definitions).map((k) => `definition ${k}`),
    ...Object.keys(d.environments).map((k) => `environment ${k}`),
    ...Object.keys(d.variableGroups).map((k) => `group ${k}`),
  ];
  return [...azure, ...devops];
}

async function withSandbox<T>(dir: string, work: (s: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ dir, speed: Number(SPEED) });
  try {
    return await work(sandbox);
  } finally {
    await sandbox.close();
  }
}

/**
 * Given objects someone else made (a resource group with a registry, a project with its
 * repository) and a full deployment by `aks-bootstrap apply`, When `destroy --yes --confirm demo`
 * runs, Then everything apply created is gone and everything it did not create is still there;
 * a second destroy finds nothing; and apply afterwards converges again.
 */
describe("destroy, end to end", () => {
  let dir: string;
  let sandboxDir: string;
  let before: string[];
  let created: string[];
  const flags = () => [`--sandbox=${sandboxDir}`, "--non-interactive", "--speed", SPEED, "--output", "plain"];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aksb-destroy-"));
    sandboxDir = join(dir, ".sandbox");
    before = await withSandbox(sandboxDir, async (sandbox) => {
      const target = sandbox.target();
      const azure = createAzureClients(target);
      await azure.resources.resourceGroups.createOrUpdate("rg-legacy", { location: sandbox.location });
      await azure.registry.registries.beginCreateAndWait(
        "rg-legacy",
        "crlegacy0001",
        { location: sandbox.location, sku: { name: "Basic" }, tags: { app: "demo" } },
        azure.lro,
      );
      const devops = createDevopsClients(target);
      const queued = await devops.rest("POST", "_apis/projects?api-version=7.1", {
        name: "legacy",
        description: "the team's own project",
        capabilities: {
          versioncontrol: { sourceControlType: "Git" },
          processTemplate: { templateTypeId: "adcc42ab-9882-485e-a3ed-7678f01f66bc" },
        },
      });
      expect(queued.status).toBe(202);
      // Project creation is queued: wait (with a deadline) until it and its repository exist.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const p = await devops.rest<{ state?: string }>("GET", "_apis/projects/legacy?api-version=7.1");
        if (p.status === 200 && p.body.state === "wellFormed") break;
        if (Date.now() > deadline) throw new Error("project legacy was not created in time");
        await new Promise((r) => setImmediate(r));
      }
      return inventory(sandbox.state() as StateView);
    });
    const apply = await run(["apply", ...flags(), "--yes"], dir);
    expect(apply.code, apply.stderr).toBe(0);
    created = await withSandbox(sandboxDir, async (s) =>
      inventory(s.state() as StateView).filter((k) => !before.includes(k)),
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses without a confirmation when there is no terminal", async () => {
    const r = await run(["destroy", ...flags()], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--yes --confirm demo");
  });

  it("removes what it created, keeps the rest, and a second destroy is a no-op", async () => {
    expect(created.length).toBeGreaterThan(20);
    // When destroyed
    const r = await run(["destroy", ...flags(), "--yes", "--confirm", "demo"], dir);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    // Then nothing it created remains, everything else does, and the vault is soft-deleted only
    const after = await withSandbox(sandboxDir, async (s) => s.state() as StateView);
    const left = inventory(after);
    expect(left.filter((k) => created.includes(k))).toEqual([]);
    expect(before.filter((k) => !left.includes(k))).toEqual([]);
    expect(left).toContain("project legacy");
    expect(left.some((k) => k.startsWith("repository legacy "))).toBe(true);
    expect(Object.keys(after.deletedVaults)).toHaveLength(1);
    expect(r.stdout + r.stderr).toMatch(/not purged/);
    // When destroyed again Then there is nothing to do
    const again = await run(["destroy", ...flags(), "--yes", "--confirm", "demo"], dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("Nothing to destroy");
  });

  it("apply after destroy converges again (the vault recovered)", async () => {
    const apply = await run(["apply", ...flags(), "--yes"], dir);
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    const plan = await run(["plan", ...flags(), "--detailed-exitcode"], dir);
    expect(plan.code, plan.stdout).toBe(0);
    const state = await withSandbox(sandboxDir, async (s) => s.state() as StateView);
    expect(Object.keys(state.deletedVaults)).toEqual([]);
  });
});
