import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRun, planRun } from "../../src/engine/runner.js";
import { ids } from "../../steps/ids.js";
import { roleAssignmentName } from "../../steps/azure/role-assignments.js";
import { resourcesOfType, startAzureBed, type AzureBed } from "./harness.js";

const ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec";

/**
 * Given the CI identity's AcrPush granted under another name (by a colleague, or by an older
 * tool), Then it counts as present: the plan notes it, and an apply planned before it appeared
 * takes Azure's 409 RoleAssignmentExists as success. Never a second assignment.
 */
describe("an equivalent role assignment under another name", () => {
  let bed: AzureBed;
  let scope: string;
  let principalId: string;
  const acrPush = () =>
    resourcesOfType(bed.sandbox, "Microsoft.Authorization/roleAssignments").filter((r) =>
      String(r.body.properties?.["roleDefinitionId"]).endsWith(ACR_PUSH),
    );
  const grantElsewhere = () =>
    bed.deps.azure.authorization.roleAssignments.create(scope, randomUUID(), {
      roleDefinitionId: `/subscriptions/${bed.sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PUSH}`,
      principalId,
      principalType: "ServicePrincipal",
    });
  beforeAll(async () => {
    bed = await startAzureBed({ app: "equiv" });
    expect((await applyRun(bed.steps())).failed).toEqual([]);
    const { azure, names } = bed.deps;
    scope = (await azure.registry.registries.get(names.resourceGroupNonprod, names.registryNonprod)).id!;
    principalId = (await azure.msi.userAssignedIdentities.get(names.resourceGroupNonprod, names.identityCi))
      .principalId!;
  });
  afterAll(() => bed?.close());

  it("counts as present in the plan", async () => {
    await bed.deps.azure.authorization.roleAssignments.delete(
      scope,
      roleAssignmentName(scope, principalId, ACR_PUSH),
    );
    const other = await grantElsewhere();
    const plan = await planRun(bed.steps());
    const change = plan.changes.get(ids.azure.roleAssignment("ci-acrpush"));
    expect(change?.kind).toBe("noop");
    expect(change?.notes).toEqual([`granted by assignment ${other.name} at ${scope}`]);
    await bed.deps.azure.authorization.roleAssignments.delete(scope, other.name!);
  });

  it("takes 409 RoleAssignmentExists as success when it appears after the plan", async () => {
    const plan = await planRun(bed.steps());
    expect(plan.changes.get(ids.azure.roleAssignment("ci-acrpush"))?.kind).toBe("create");
    await grantElsewhere();
    const result = await applyRun(bed.steps(), { plan });
    expect(result.failed).toEqual([]);
    expect(acrPush()).toHaveLength(1);
  });
});
