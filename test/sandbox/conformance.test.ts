import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/index.js";
import type { TrafficEntry } from "../../src/sandbox/traffic-log.js";
import { fastSandbox, rawRequest, traffic } from "./helpers.js";
import {
  armSpecRoot,
  bodySchema,
  checkAgainst,
  findOperation,
  loadOperations,
  responseSchema,
  statusAllowed,
  type SpecOperation,
} from "./openapi.js";
import { runAzureScenario } from "./scenario.js";

/**
 * Checks every ARM request and response of a full run against Microsoft's OpenAPI specs in
 * ../shared/oracles: the path is a spec path, the status is one the spec lists, bodies hold only
 * fields the spec defines, and errors use ARM's envelope. Skipped when the oracles are absent.
 */
const specRoot = armSpecRoot();

/** api-versions the installed SDK packages send, where newer than the spec snapshot in oracles. */
const SDK_API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  "Microsoft.ContainerService": ["2026-06-01"],
  "Microsoft.Insights": ["2024-03-11", "2023-06-01"],
  KeyVaultData: ["2026-04-01"],
};

/** Polling URLs ARM hands out in headers: not in the RP specs, shaped by ARM's LRO guidelines. */
const LRO_URL =
  /\/providers\/[^/]+\/locations\/[^/]+\/(operations|operationresults)\/[^/?]+$|\/subscriptions\/[^/]+\/operationresults\/[^/?]+$/i;

describe.runIf(!specRoot)("ARM conformance", () => {
  it.skip("skipped: ../shared/oracles/arm-specs is absent (a fresh clone has no spec oracles)", () => {});
});

describe.skipIf(!specRoot)("ARM traffic conforms to Microsoft's OpenAPI specs", () => {
  let sandbox: Sandbox;
  let ops: SpecOperation[];
  let log: TrafficEntry[];
  beforeAll(async () => {
    ops = loadOperations(specRoot!);
    sandbox = await fastSandbox();
    await runAzureScenario(sandbox);
    log = traffic(sandbox).filter((e) => (e.service === "arm" || e.service === "vault") && !e.fault);
  }, 60_000);
  afterAll(() => sandbox?.close());

  it("matches every request to a spec operation, api-version, status and body fields", () => {
    expect(log.length).toBeGreaterThan(30);
    expect(log.filter((e) => e.service === "vault").length).toBeGreaterThan(1);
    const problems: string[] = [];
    for (const e of log) {
      const url = new URL(e.url);
      const path = url.pathname.replace(/\/{2,}/g, "/");
      const label = `${e.method} ${path} -> ${e.status}`;
      if (LRO_URL.test(path)) {
        if (e.status === 200 && e.responseBody && !(e.responseBody as { status?: string }).status)
          problems.push(`${label}: operation status without 'status'`);
        continue;
      }
      const op = findOperation(ops, e.method, path);
      if (!op) {
        problems.push(`${label}: no spec operation matches`);
        continue;
      }
      const ns =
        e.service === "vault"
          ? "KeyVaultData"
          : (/\/providers\/(Microsoft\.[A-Za-z]+)/i.exec(op.template)?.[1] ?? "Microsoft.Resources");
      const version = url.searchParams.get("api-version") ?? "";
      // Several snapshots of one spec may be present (Workspaces 2022-10-01 and 2025-07-01).
      const snapshots = ops
        .filter((o) => o.template === op.template && o.method === op.method)
        .map((o) => o.apiVersion);
      const accepted = [...snapshots, ...(SDK_API_VERSIONS[ns] ?? [])];
      if (!accepted.includes(version))
        problems.push(`${label}: api-version ${version} not in ${accepted.join(", ")}`);
      if (!statusAllowed(op, e.status)) problems.push(`${label}: status not in spec responses`);
      if (e.status >= 400) {
        const err = (e.responseBody as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        if (e.method !== "HEAD" && (typeof err?.code !== "string" || typeof err?.message !== "string"))
          problems.push(`${label}: error body is not {error:{code,message}}`);
        continue;
      }
      const reqSchema = bodySchema(op);
      if (reqSchema && e.requestBody !== undefined) {
        problems.push(
          ...checkAgainst(e.requestBody, reqSchema, "request", { requireRequired: true }).map(
            (p) => `${label}: ${p}`,
          ),
        );
      }
      const resSchema = responseSchema(op, e.status);
      if (resSchema && e.responseBody !== undefined) {
        problems.push(
          ...checkAgainst(e.responseBody, resSchema, "response", { requireRequired: false }).map(
            (p) => `${label}: ${p}`,
          ),
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it("rejects a deliberately malformed request (missing required field) with Azure's error code", async () => {
    const base = `${sandbox.endpoints.arm}/subscriptions/${sandbox.subscriptionId}/resourceGroups/rg-conf-nonprod/providers`;
    const vault = await rawRequest(
      sandbox,
      "PUT",
      `${base}/Microsoft.KeyVault/vaults/kv-malformed-1?api-version=2026-02-01`,
      {
        location: "westeurope",
        properties: { sku: { family: "A", name: "standard" } },
      },
    );
    expect(vault.status).toBe(400);
    expect((vault.body as { error: { code: string; message: string } }).error).toMatchObject({
      code: "BadRequest",
      message: expect.stringContaining("tenantId"),
    });
    const fic = await rawRequest(
      sandbox,
      "PUT",
      `${base}/Microsoft.ManagedIdentity/userAssignedIdentities/id-conf-ci/federatedIdentityCredentials/x-no-issuer?api-version=2024-11-30`,
      {
        properties: { subject: "s", audiences: ["api://AzureADTokenExchange"] },
      },
    );
    expect(fic.status).toBe(400);
    expect((fic.body as { error: { code: string } }).error.code).toBe("BadRequest");
    const rg = await rawRequest(
      sandbox,
      "PUT",
      `${sandbox.endpoints.arm}/subscriptions/${sandbox.subscriptionId}/resourcegroups/rg-no-location?api-version=2025-04-01`,
      {},
    );
    expect((rg.body as { error: { code: string } }).error.code).toBe("LocationRequired");
  });
});
