import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRun, planRun } from "../../src/engine/runner.js";
import type { TrafficEntry } from "../../src/sandbox/traffic-log.js";
import {
  armSpecRoot,
  bodySchema,
  checkAgainst,
  findOperation,
  loadOperations,
  type SpecOperation,
} from "../sandbox/openapi.js";
import { startAzureBed, type AzureBed } from "./harness.js";
import { readFileSync } from "node:fs";

/**
 * Every ARM request the Azure steps send (a fresh apply, then a drift repair) names an
 * operation of Microsoft's OpenAPI specs and carries a body with only the fields the spec
 * defines and all the required ones. Skipped when ../shared/oracles is absent.
 */
const specRoot = armSpecRoot();
const LRO_URL =
  /\/providers\/[^/]+\/locations\/[^/]+\/(operations|operationresults)\/[^/?]+$|\/subscriptions\/[^/]+\/operationresults\/[^/?]+$/i;

describe.skipIf(!specRoot)("Azure steps' requests conform to the ARM specs", () => {
  let bed: AzureBed;
  let ops: SpecOperation[];
  let log: TrafficEntry[];
  beforeAll(async () => {
    ops = loadOperations(specRoot!);
    bed = await startAzureBed({ app: "conform" });
    expect((await applyRun(bed.steps())).failed).toEqual([]);
    const { azure, names } = bed.deps;
    const lro = { updateIntervalInMs: azure.lro.updateIntervalInMs };
    await azure.registry.registries.beginUpdateAndWait(
      names.resourceGroupNonprod,
      names.registryNonprod,
      { adminUserEnabled: true },
      lro,
    );
    const prod = await azure.aks.managedClusters.get(names.resourceGroupProd, names.clusterProd);
    await azure.aks.managedClusters.beginCreateOrUpdateAndWait(
      names.resourceGroupProd,
      names.clusterProd,
      { ...prod, disableLocalAccounts: false },
      lro,
    );
    const plan = await planRun(bed.steps());
    expect((await applyRun(bed.steps(), { plan })).failed).toEqual([]);
    log = readFileSync(bed.sandbox.trafficLogPath, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TrafficEntry)
      .filter((e) => e.service === "arm" && !e.fault);
  });
  afterAll(() => bed?.close());

  it("sends only spec operations with spec-shaped bodies", () => {
    expect(log.length).toBeGreaterThan(50);
    const problems: string[] = [];
    let checked = 0;
    for (const e of log) {
      const path = new URL(e.url).pathname.replace(/\/{2,}/g, "/");
      if (LRO_URL.test(path)) continue;
      const label = `${e.method} ${path}`;
      const op = findOperation(ops, e.method, path);
      if (!op) {
        problems.push(`${label}: no spec operation matches`);
        continue;
      }
      const schema = bodySchema(op);
      if (schema && e.requestBody !== undefined) checked++;
      if (schema && e.requestBody !== undefined)
        problems.push(
          ...checkAgainst(e.requestBody, schema, "request", { requireRequired: true }).map(
            (p) => `${label}: ${p}`,
          ),
        );
    }
    expect(problems).toEqual([]);
    // Every create and repair body was checked (RGs, workspaces, components, registries, vault,
    // clusters, DCRs, associations, identities, role assignments, and the two repairs).
    expect(checked).toBeGreaterThanOrEqual(28);
  });
});
