import { afterEach, describe, expect, it } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { applyRun, planRun } from "../../src/engine/runner.js";
import type { EngineEvent, ErrorInfo } from "../../src/engine/types.js";
import { answersSchema } from "../../src/answers/schema.js";
import { ids } from "../../steps/ids.js";
import { preflightSteps } from "../../steps/azure/index.js";
import { aksVersionsPreflightId } from "../../steps/preflight/aks-versions.js";
import { resourcesOfType, startAzureBed, type AzureBed } from "./harness.js";

function failures(events: EngineEvent[]): Map<string, ErrorInfo> {
  const out = new Map<string, ErrorInfo>();
  for (const e of events)
    if (e.type === "step-status" && e.status === "failed" && e.error) out.set(e.stepId, e.error);
  return out;
}

async function run(steps: Parameters<typeof applyRun>[0], mode: "plan" | "apply" = "plan") {
  const events: EngineEvent[] = [];
  const result = await (mode === "plan" ? planRun : applyRun)(steps, { onEvent: (e) => events.push(e) });
  return { result, failed: failures(events) };
}

describe("preflight", () => {
  let bed: AzureBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  it("passes on a fresh subscription and changes nothing", async () => {
    bed = await startAzureBed();
    const { result, failed } = await run(preflightSteps(bed.deps));
    expect([...failed.keys()]).toEqual([]);
    expect([...result.changes.values()].every((c) => c.kind === "noop")).toBe(true);
  });

  it("tells how to sign in when the credential fails, and creates nothing", async () => {
    bed = await startAzureBed();
    const broken: TokenCredential = {
      getToken: () => Promise.reject(new Error("AADSTS700016: application not found")),
    };
    const target = { ...bed.target, credential: broken };
    const { result, failed } = await run(bed.steps({ target }), "apply");
    expect(result.outcome).toBe("failed");
    const err = failed.get(ids.preflight.credential);
    expect(err?.message).toMatch(/Signing in to Azure Resource Manager failed: AADSTS700016/);
    expect(err?.hint).toMatch(/az login/);
    expect(resourcesOfType(bed.sandbox, "Microsoft.Resources/resourceGroups")).toEqual([]);
  });

  it("refuses a sign-in to another tenant than the answers name", async () => {
    bed = await startAzureBed();
    const other = "11111111-2222-3333-4444-555555555555";
    const answers = answersSchema.parse({
      ...bed.deps.answers,
      azure: { ...bed.deps.answers.azure, tenantId: other },
    });
    const { failed } = await run(preflightSteps({ ...bed.deps, answers }));
    expect(failed.get(ids.preflight.credential)?.hint).toContain(`az login --tenant ${other}`);
  });

  it("names a registry name taken elsewhere and suggests the next free one", async () => {
    bed = await startAzureBed();
    const { azure, names } = bed.deps;
    await azure.resources.resourceGroups.createOrUpdate("rg-someone-else", {
      location: bed.sandbox.location,
    });
    await azure.registry.registries.beginCreateAndWait(
      "rg-someone-else",
      names.registryNonprod,
      { location: bed.sandbox.location, sku: { name: "Basic" } },
      { updateIntervalInMs: azure.lro.updateIntervalInMs },
    );
    const { result, failed } = await run(bed.steps(), "apply");
    const err = failed.get(ids.preflight.names);
    expect(err?.message).toContain(`registry name ${names.registryNonprod} is taken`);
    expect(err?.message).toContain(`azure.names.registryNonprod: ${names.registryNonprod}2`);
    // The derived name comes from the app name: that is the answer the wizard asks again.
    expect(err?.field).toBe("app");
    expect(result.skipped).toContain(ids.azure.resourceGroup("nonprod"));
    expect(
      resourcesOfType(bed.sandbox, "Microsoft.Resources/resourceGroups").map((r) => r.id.split("/").pop()),
    ).toEqual(["rg-someone-else"]);
  });

  it("rejects a Kubernetes version the region does not offer, listing the offered ones", async () => {
    bed = await startAzureBed();
    const answers = answersSchema.parse({
      ...bed.deps.answers,
      azure: { ...bed.deps.answers.azure, aks: { ...bed.deps.answers.azure.aks, version: "1.19" } },
    });
    const { failed } = await run(preflightSteps({ ...bed.deps, answers }));
    const err = failed.get(aksVersionsPreflightId);
    expect(err?.message).toMatch(/Kubernetes 1\.19 is not offered \(offered: \d+\.\d+/);
    expect(err?.hint).toMatch(/azure\.aks\.version/);
  });

  it("stops when the operator cannot create role assignments", async () => {
    bed = await startAzureBed();
    const sub = `/subscriptions/${bed.sandbox.subscriptionId}`;
    // The sandbox seeds its caller as Owner; take that away.
    await bed.deps.azure.authorization.roleAssignments.delete(sub, "00000000-0000-4000-8000-000000000001");
    const { failed } = await run(preflightSteps(bed.deps));
    const err = failed.get(ids.preflight.roleAssignPermission);
    expect(err?.message).toContain("Microsoft.Authorization/roleAssignments/write");
    expect(err?.hint).toMatch(/Owner, User Access Administrator/);
  });
});

describe("Key Vault recovery and secrets", () => {
  let bed: AzureBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  it("recovers a soft-deleted vault of ours, with its secrets, instead of failing on the name", async () => {
    bed = await startAzureBed({ app: "recover" });
    expect((await applyRun(bed.steps())).failed).toEqual([]);
    const { azure, names } = bed.deps;
    await azure.keyVault.vaults.delete(names.resourceGroupNonprod, names.keyVault);
    expect(resourcesOfType(bed.sandbox, "Microsoft.KeyVault/vaults")).toEqual([]);

    const plan = await planRun(bed.steps());
    expect(plan.failed).toEqual([]);
    const change = plan.changes.get(ids.azure.keyVault);
    expect(change?.kind === "create" && change.summary).toMatch(/^recover soft-deleted vault/);
    expect(plan.changes.get(ids.preflight.names)?.notes).toContainEqual(
      expect.stringContaining("will be recovered"),
    );

    // Secrets come back with the vault: no value is needed for them.
    const applied = await applyRun(bed.steps({ secretValue: async () => undefined }), { plan });
    expect(applied.failed).toEqual([]);
    expect(resourcesOfType(bed.sandbox, "Microsoft.KeyVault/vaults")).toHaveLength(1);
    const after = await planRun(bed.steps());
    expect([...after.changes].filter(([, c]) => c.kind !== "noop")).toEqual([]);
  });

  it("names the environment variable when a secret has no value, and sets none of them", async () => {
    bed = await startAzureBed({ app: "nosecret", env: { API_TOKEN: "only-this-one" } });
    const { result, failed } = await run(bed.steps(), "apply");
    expect(result.failed).toEqual([ids.azure.keyVaultSecrets]);
    const err = failed.get(ids.azure.keyVaultSecrets);
    expect(err?.message).toContain("db-password (environment variable DB_PASSWORD)");
    expect(err?.hint).toContain("DB_PASSWORD");
    expect(err?.message).not.toContain("only-this-one");
    const state = bed.sandbox.state() as { vaults: Record<string, { secrets: Record<string, unknown> }> };
    const secrets = Object.values(state.vaults).flatMap((v) => Object.keys(v.secrets));
    expect(secrets).toEqual([]);
  });

  it("never reads or overwrites a secret that exists", async () => {
    bed = await startAzureBed({ app: "keep" });
    expect((await applyRun(bed.steps())).failed).toEqual([]);
    const asked: string[] = [];
    const rerun = await applyRun(
      bed.steps({
        secretValue: async (s) => {
          asked.push(s.name);
          return "other";
        },
      }),
    );
    expect(rerun.failed).toEqual([]);
    expect(asked).toEqual([]);
  });
});

describe("without CI secrets", () => {
  it("grants the operator nothing on the vault", async () => {
    const bed = await startAzureBed({ app: "nosecrets" });
    try {
      const answers = answersSchema.parse({ ...bed.deps.answers, keyVault: { secrets: [] } });
      const result = await applyRun(bed.steps({ answers }));
      expect(result.failed).toEqual([]);
      const operator = resourcesOfType(bed.sandbox, "Microsoft.Authorization/roleAssignments").filter((r) =>
        String(r.body.properties?.["roleDefinitionId"]).endsWith("b86a8fe4-44ce-4948-aee5-eccb2c155cd7"),
      );
      expect(operator).toEqual([]);
    } finally {
      await bed.close();
    }
  });
});
