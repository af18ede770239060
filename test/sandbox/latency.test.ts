import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/clients/azure.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { UserError } from "../../src/engine/errors.js";

describe("sandbox latencyMs", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 5000, latencyMs: 40 });
  });
  afterAll(() => sandbox?.close());

  it("answers every request no sooner than the latency, like a network round trip", async () => {
    const az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate("rg-latency", { location: sandbox.location });
    const started = performance.now();
    await Promise.all([
      az.resources.resourceGroups.get("rg-latency"),
      az.resources.resourceGroups.get("rg-latency"),
    ]);
    const parallel = performance.now() - started;
    const next = performance.now();
    await az.resources.resourceGroups.get("rg-latency");
    await az.resources.resourceGroups.get("rg-latency");
    const sequential = performance.now() - next;
    // Two requests at once cost one round trip; one after the other, two.
    expect(parallel).toBeGreaterThanOrEqual(40);
    expect(sequential).toBeGreaterThanOrEqual(80);
  });

  it("refuses a negative latency", async () => {
    await expect(startSandbox({ latencyMs: -1 })).rejects.toBeInstanceOf(UserError);
  });
});
