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
import { answersSchema } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import { seedPlatform } from "../../src/sandbox/platform.js";

/**
 * Every ARM request the Azure steps send (a fresh apply, then a drift repair) names an
 * operation of Microsoft's OpenAPI specs and carries a body with only the fields the spec
 * defines and all the required ones. Skipped when ../shared/oracles is absent.
 */
const specRoot = armSpecRoot();
const LRO_URL =
  /\/providers\/[^/]+\/locations\/[^/]+\/(operations|operationresults)\/[^/?]+$|\/subscriptions\/[^/]+\/operationresults\/[^/?]+$/i;

/** The sandbox's ARM traffic so far, without injected faults. */
function armTraffic(bed: AzureBed): TrafficEntry[] {
  return readFileSync(bed.sandbox.trafficLogPath, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TrafficEntry)
    .filter((e) => e.service === "arm" && !e.fault);
}

/** Requests that name no spec operation or carry a body the spec refuses; and how many bodies were checked. */
function nonConforming(log: readonly TrafficEntry[], ops: SpecOperation[]) {
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
  return { problems, checked };
}

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
    log = armTraffic(bed);
  });
  afterAll(() => bed?.close());

  it("sends only spec operations with spec-shaped bodies", () => {
    expect(log.length).toBeGreaterThan(50);
    const { problems, checked } = nonConforming(log, ops);
    expect(problems).toEqual([]);
    // Every create and repair body was checked (RGs, workspaces, components, registries, vault,
    // clusters, DCRs, associations, identities, role assignments, and the two repairs).
    expect(checked).toBeGreaterThanOrEqual(28);
  });
});

/**
 * With existing clusters, registries, vault and workspaces (azure.existing), the extra reads
 * (each resource by id, the caller's permissions on it) and the role assignments on them are
 * spec operations too.
 */
describe.skipIf(!specRoot)("requests with existing resources conform to the ARM specs", () => {
  let bed: AzureBed;
  afterAll(() => bed?.close());

  it("sends only spec operations with spec-shaped bodies", async () => {
    const ops = loadOperations(specRoot!);
    bed = await startAzureBed({ app: "conformx" });
    const p = await seedPlatform(bed.sandbox);
    const existing = {
      clusterStaging: p.cluster,
      registryNonprod: p.registry,
      keyVault: p.vault,
      workspaceProd: p.workspace,
    };
    const answers = answersSchema.parse({
      ...bed.deps.answers,
      azure: { ...bed.deps.answers.azure, existing },
    });
    const start = armTraffic(bed).length;
    expect((await applyRun(bed.steps({ answers, names: deriveNames(answers) }))).failed).toEqual([]);
    const log = armTraffic(bed).slice(start);
    const paths = log.map((e) => new URL(e.url).pathname.toLowerCase());
    expect(
      paths.some((x) => x.endsWith("/aks-platform-shared/providers/microsoft.authorization/permissions")),
    ).toBe(true);
    expect(nonConforming(log, ops).problems).toEqual([]);
  });
});
