import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { answersSchema } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import { planRun } from "../../src/engine/runner.js";
import type { EngineEvent, ErrorInfo } from "../../src/engine/types.js";
import type { StepDeps } from "../../steps/deps.js";
import { ids } from "../../steps/ids.js";
import { broadRoles } from "../../steps/azure/roles.js";
import { startAzureBed, type AzureBed } from "./harness.js";

const SEEDED_OWNER = "00000000-0000-4000-8000-000000000001";

function failures(events: EngineEvent[]): Map<string, ErrorInfo> {
  const out = new Map<string, ErrorInfo>();
  for (const e of events)
    if (e.type === "step-status" && e.status === "failed" && e.error) out.set(e.stepId, e.error);
  return out;
}

function withExisting(deps: StepDeps, existing: Record<string, string>): Partial<StepDeps> {
  const answers = answersSchema.parse({ ...deps.answers, azure: { ...deps.answers.azure, existing } });
  return { answers, names: deriveNames(answers) };
}

describe("preflight of existing resources (azure.existing)", () => {
  let bed: AzureBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  it("names a vault on access policies and a cluster the operator may not grant roles on, with the fixes", async () => {
    // Given a platform group with a ready cluster and an access-policy vault, and an operator
    // who holds Owner on aks-bootstrap's own groups only (not on the platform group)
    bed = await startAzureBed();
    const { azure, target } = bed.deps;
    const sub = `/subscriptions/${target.subscriptionId}`;
    const loc = bed.sandbox.location;
    await azure.resources.resourceGroups.createOrUpdate("rg-platform", { location: loc });
    const cluster = await azure.aks.managedClusters.beginCreateOrUpdateAndWait(
      "rg-platform",
      "aks-shared",
      {
        location: loc,
        dnsPrefix: "shared",
        identity: { type: "SystemAssigned" },
        agentPoolProfiles: [{ name: "system", mode: "System", count: 1, vmSize: "Standard_D2s_v5" }],
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        aadProfile: { managed: true, enableAzureRbac: true },
      },
      azure.lro,
    );
    const vault = await azure.keyVault.vaults.beginCreateOrUpdateAndWait(
      "rg-platform",
      "kv-platform-shared",
      {
        location: loc,
        properties: {
          tenantId: target.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: false,
          accessPolicies: [],
        },
      },
      azure.lro,
    );
    const me = (await azure.authorization.roleAssignments.get(sub, SEEDED_OWNER)).principalId!;
    for (const rg of [bed.deps.names.resourceGroupNonprod, bed.deps.names.resourceGroupProd]) {
      const group = await azure.resources.resourceGroups.createOrUpdate(rg, { location: loc });
      await azure.authorization.roleAssignments.create(group.id!, randomUUID(), {
        roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${broadRoles.Owner}`,
        principalId: me,
      });
    }
    await azure.authorization.roleAssignments.delete(sub, SEEDED_OWNER);

    // When the answers use both and preflight runs
    const events: EngineEvent[] = [];
    const overrides = withExisting(bed.deps, { clusterStaging: cluster.id!, keyVault: vault.id! });
    await planRun(bed.steps(overrides), { onEvent: (e) => events.push(e) });
    const failed = failures(events);

    // Then only the existing-resources check fails, naming each resource, what it lacks and the fix
    expect([...failed.keys()]).toEqual([ids.preflight.existingResources]);
    const err = failed.get(ids.preflight.existingResources)!;
    expect(err.message).toContain(
      `the signed-in account cannot create role assignments (Microsoft.Authorization/roleAssignments/write) on AKS cluster ${cluster.id!} (azure.existing.clusterStaging)`,
    );
    expect(err.message).toContain(`Key Vault ${vault.id!} (azure.existing.keyVault) uses access policies`);
    expect(err.hint).toContain(
      "az keyvault update --resource-group rg-platform --name kv-platform-shared --enable-rbac-authorization true",
    );
    expect(err.hint).toContain(`Role Based Access Control Administrator on ${cluster.id!}`);
  });

  it("refuses an existing resource of another subscription or one that does not exist", async () => {
    bed = await startAzureBed();
    const other =
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-x/providers/Microsoft.ContainerRegistry/registries/crx";
    const missing = `/subscriptions/${bed.deps.target.subscriptionId}/resourceGroups/rg-x/providers/Microsoft.OperationalInsights/workspaces/log-x`;
    const events: EngineEvent[] = [];
    await planRun(bed.steps(withExisting(bed.deps, { registryProd: other, workspaceNonprod: missing })), {
      onEvent: (e) => events.push(e),
    });
    const err = failures(events).get(ids.preflight.existingResources)!;
    expect(err.message).toContain(
      `${other} (azure.existing.registryProd) is in subscription 11111111-2222-3333-4444-555555555555`,
    );
    expect(err.message).toContain(`${missing} (azure.existing.workspaceNonprod) was not found`);
    expect(err.hint).toContain(`az resource show --ids ${missing}`);
  });
});
