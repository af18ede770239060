import { afterEach, describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/clients/azure.js";
import { parseFaultSpec } from "../../src/sandbox/faults.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { eventually, fastSandbox, rejection, traffic } from "./helpers.js";

describe("sandbox fault plan", () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it("parses a spec and refuses unknown kinds", () => {
    expect(parseFaultSpec("429=0.05,reset=0.01,principal=1")).toEqual({
      "429": 0.05,
      reset: 0.01,
      "principal-not-found": 1,
    });
    expect(() => parseFaultSpec("teapot=0.1")).toThrow(/unknown fault kind "teapot"/);
    expect(() => parseFaultSpec("429=2")).toThrow(/from 0 to 1/);
  });

  it("throttles with and without Retry-After, fails with 503 and resets; the SDK clients retry through all of it", async () => {
    // Given a plan where about half of all requests fail
    sandbox = await fastSandbox({ faults: "429=0.15,429-no-retry-after=0.15,503=0.1,reset=0.05", seed: 3 });
    const az = createAzureClients(sandbox.target());
    // When a client makes calls until every fault kind has been injected at least once
    const kinds = () =>
      new Set(
        traffic(sandbox!)
          .map((e) => e.fault)
          .filter(Boolean),
      );
    let calls = 0;
    while (kinds().size < 4 && calls < 80) {
      await az.resources.resourceGroups.createOrUpdate(`rg-faults-${calls}`, { location: "westeurope" });
      calls++;
    }
    // Then every call succeeded, and the traffic log shows each fault kind answered
    const log = traffic(sandbox);
    const faults = new Set(log.map((e) => e.fault).filter(Boolean));
    expect(faults).toEqual(new Set(["429", "429-no-retry-after", "503", "reset"]));
    const with429 = log.filter((e) => e.fault === "429");
    expect(with429.every((e) => e.status === 429 && e.responseHeaders?.["Retry-After"] !== undefined)).toBe(
      true,
    );
    const without = log.filter((e) => e.fault === "429-no-retry-after");
    expect(without.every((e) => e.status === 429 && e.responseHeaders?.["Retry-After"] === undefined)).toBe(
      true,
    );
    const created = log.filter((e) => e.method === "PUT" && (e.status === 201 || e.status === 200));
    expect(created).toHaveLength(calls);
  });

  it("is reproducible: the same seed gives the same faults", async () => {
    const run = async () => {
      const s = await fastSandbox({ faults: "429=0.3,503=0.2", seed: 7 });
      const az = createAzureClients(s.target());
      for (let i = 0; i < 5; i++)
        await az.resources.resourceGroups.createOrUpdate(`rg-${i}`, { location: "westeurope" });
      const seq = traffic(s)
        .filter((e) => e.service === "arm")
        .map((e) => e.fault ?? "-");
      await s.close();
      return seq;
    };
    expect(await run()).toEqual(await run());
  });

  it("fails a long-running create with error code and message", async () => {
    sandbox = await fastSandbox({ faults: "lro-fail=1" });
    const az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate("rg-lro", { location: "westeurope" });
    const err = await rejection(
      az.registry.registries.beginCreateAndWait(
        "rg-lro",
        "crlrofail123",
        { location: "westeurope", sku: { name: "Basic" } },
        az.lro,
      ),
    );
    // core-lro folds the operation's error into its message
    expect(err.message).toMatch(/long-running operation has failed\. OperationFailed\. .*lro-fail/);
    const reg = await az.registry.registries.get("rg-lro", "crlrofail123");
    expect(reg.provisioningState).toBe("Failed");
  });

  it("answers 404 right after a create until the resource propagates (eventual consistency)", async () => {
    sandbox = await fastSandbox({ faults: "eventual=1", speed: 200 });
    const az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate("rg-ec", { location: "westeurope" });
    await az.msi.userAssignedIdentities.createOrUpdate("rg-ec", "id-ec", { location: "westeurope" });
    const first = await rejection(az.msi.userAssignedIdentities.get("rg-ec", "id-ec"));
    expect(first.statusCode).toBe(404);
    const later = await eventually(() =>
      az.msi.userAssignedIdentities.get("rg-ec", "id-ec").catch(() => undefined),
    );
    expect(later.name).toBe("id-ec");
  });

  it("refuses a role assignment for a brand-new principal with PrincipalNotFound, then accepts it", async () => {
    sandbox = await fastSandbox({ faults: "principal-not-found=1", speed: 500 });
    const sub = sandbox.subscriptionId;
    const az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate("rg-p", { location: "westeurope" });
    const id = await az.msi.userAssignedIdentities.createOrUpdate("rg-p", "id-new", {
      location: "westeurope",
    });
    const scope = `/subscriptions/${sub}/resourceGroups/rg-p`;
    const params = {
      roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
      principalId: id.principalId!,
      principalType: "ServicePrincipal" as const,
    };
    const err = await rejection(
      az.authorization.roleAssignments.create(scope, "3c9d1f8e-8f0a-4a57-b1c2-2f1e0d3c4b5a", params),
    );
    expect(err.code).toBe("PrincipalNotFound");
    const ok = await eventually(() =>
      az.authorization.roleAssignments
        .create(scope, "3c9d1f8e-8f0a-4a57-b1c2-2f1e0d3c4b5a", params)
        .catch(() => undefined),
    );
    expect(ok.principalId).toBe(id.principalId);
  });
});
