import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { leakedIn, runScenario, visibleFiles, type Scenario } from "./harness.js";
import {
  assignments,
  byType,
  LEAST_PRIVILEGE_TABLE,
  readState,
  row,
  SANDBOX_SEED_ASSIGNMENT,
  type SandboxStateFile,
} from "./state-view.js";
import { readTraffic, unexpectedRedactions } from "./traffic-audit.js";

// One full sandbox apply (plus a failing one before it and a refused plan after it) shared by
// every test: the built CLI, as a user runs it. `npm run build` first.
let s: Scenario;
let state: SandboxStateFile;
beforeAll(async () => {
  s = await runScenario();
  state = readState(s.sandboxDir);
}, 120_000);

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("the scanners themselves", () => {
  it("find a planted secret (raw, in Basic auth, URL-encoded) and a JWT", () => {
    const secrets = new Map([["X", "planted-Secret-123/+="]]);
    expect(leakedIn("a planted-Secret-123/+= b", secrets)).toEqual(["X"]);
    expect(leakedIn(`Basic ${Buffer.from(":planted-Secret-123/+=").toString("base64")}`, secrets)).toEqual([
      "X",
    ]);
    expect(leakedIn("v=planted-Secret-123%2F%2B%3D", secrets)).toEqual(["X"]);
    expect(leakedIn("Bearer eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiIxMjM0NSJ9.c2ln", new Map())).toEqual([
      "a JWT (bearer token)",
    ]);
  });

  it("flag a redaction in an Azure DevOps body but not in a Key Vault secret body", () => {
    const line = (service: string, body: unknown) => ({
      service,
      method: "PUT",
      url: "https://127.0.0.1:1/x",
      status: 200,
      requestHeaders: { authorization: "[REDACTED]" },
      requestBody: body,
    });
    expect(unexpectedRedactions([line("vault", { value: "[REDACTED]" })])).toEqual([]);
    expect(unexpectedRedactions([line("devops", { variables: { a: { value: "[REDACTED]" } } })])).toEqual([
      { service: "devops", method: "PUT", path: "/x", field: "requestBody.variables.a.value" },
    ]);
  });
});

describe("secret values never leave memory", () => {
  it("the scenario ran: an apply fails while the secrets are set, the next apply converges", () => {
    // Given every long-running operation failing, when applying, then exit 1 with the errors
    // shown, while the secrets step (no long-running operation) did set both secrets.
    expect(s.failed.code, s.failed.stderr).toBe(1);
    expect(s.failed.stdout).toMatch(/error: creating AKS cluster .*lro-fail/);
    expect(s.failed.stdout).toMatch(/Key Vault secrets \(2\) created/);
    noStack(s.failed.stdout + s.failed.stderr);
    // Given both variables, when applying again, then the run succeeds.
    expect(s.applied.code, s.applied.stderr).toBe(0);
    const summary = s.applied.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; outcome?: string })
      .find((e) => e.type === "summary");
    expect(summary?.outcome).toBe("succeeded");
  });

  it("a refused PAT stops the run at the sign-in check without being echoed", () => {
    expect(s.refused.code).toBe(1);
    expect(s.refused.stdout + s.refused.stderr).toMatch(/AZURE_DEVOPS_EXT_PAT was not accepted/);
    noStack(s.refused.stdout + s.refused.stderr);
  });

  it("no secret value or token in stdout or stderr of any run, including the failed ones", () => {
    const runs = { refused: s.refused, failed: s.failed, applied: s.applied, pasted: s.pasted };
    for (const [name, r] of Object.entries(runs)) {
      expect(leakedIn(r.stdout, s.secrets), `${name} stdout`).toEqual([]);
      expect(leakedIn(r.stderr, s.secrets), `${name} stderr`).toEqual([]);
    }
  });

  it("a secret pasted where a name belongs is refused without being echoed", () => {
    // Given the DB password given as the app name, when planning, then exit 1 naming the field.
    expect(s.pasted.code).toBe(1);
    expect(s.pasted.stderr).toMatch(/app/);
    noStack(s.pasted.stderr);
    expect(leakedIn(s.pasted.stderr + s.pasted.stdout, s.secrets)).toEqual([]);
  });

  it("the answers file is untouched and names variables, never values", () => {
    expect(readFileSync(s.answersPath, "utf8")).toBe(s.answersText);
    expect(leakedIn(s.answersText, s.secrets)).toEqual([]);
  });

  it("no secret value or token in any file left behind (state.json, traffic.jsonl, answers)", () => {
    const files = visibleFiles(s);
    expect(files).toEqual(
      expect.arrayContaining(["sb/state.json", "sb/traffic.jsonl", "aks-bootstrap.yaml"]),
    );
    for (const f of files) expect(leakedIn(readFileSync(join(s.dir, f), "utf8"), s.secrets), f).toEqual([]);
  });

  it("the Key Vault secret values went to Key Vault and nowhere else (Azure DevOps included)", () => {
    // The sandbox scrubs known secrets from its traffic log, so a leak shows up as a
    // "[REDACTED]" outside the places a secret belongs: Authorization headers, the token
    // endpoint, the vault's secret bodies.
    const traffic = readTraffic(join(s.sandboxDir, "traffic.jsonl"));
    expect(unexpectedRedactions(traffic)).toEqual([]);
    const secretPuts = traffic.filter((l) => l.service === "vault" && l.method === "PUT");
    expect(secretPuts.map((l) => new URL(l.url).pathname).sort()).toEqual([
      "/secrets/api-key",
      "/secrets/db-password",
    ]);
    expect(traffic.filter((l) => l.service === "devops").length).toBeGreaterThan(10);
  });

  it("the Key Vault variable group links secrets by name and carries no value", () => {
    const groups = Object.values(state.devops.variableGroups);
    const kv = groups.find((g) => g.type === "AzureKeyVault");
    expect(kv?.variables).toHaveProperty("db-password");
    expect(JSON.stringify(kv?.variables)).not.toMatch(/"value"/);
    for (const g of groups) expect(leakedIn(JSON.stringify(g), s.secrets), g.name).toEqual([]);
  });
});

describe("least privilege", () => {
  it("pipeline and kubelet identities hold exactly the roles of the least-privilege table", () => {
    const granted = assignments(state)
      .filter((a) => a.principal !== "operator")
      .map(row)
      .sort();
    expect(granted).toEqual([...LEAST_PRIVILEGE_TABLE].sort());
  });

  it("the operator is given only Key Vault Secrets Officer on the vault (to write the secrets)", () => {
    const mine = assignments(state).filter(
      (a) => a.principal === "operator" && a.name !== SANDBOX_SEED_ASSIGNMENT,
    );
    expect(mine.map(row)).toEqual(["operator | Key Vault Secrets Officer | CI vault"]);
  });

  it("nothing created at subscription or resource-group scope, and no Owner/Contributor/UAA", () => {
    const created = assignments(state).filter((a) => a.name !== SANDBOX_SEED_ASSIGNMENT);
    expect(created.length).toBeGreaterThan(0);
    for (const a of created) {
      expect(a.scope, row(a)).not.toMatch(/^(subscription|resource group)/);
      expect(a.role, row(a)).not.toMatch(
        /^(Owner|Contributor|User Access Administrator|Role Based Access Control Administrator)$/,
      );
    }
  });

  it("registries have the admin user disabled and no anonymous pull", () => {
    const regs = byType(state, "Microsoft.ContainerRegistry/registries");
    expect(regs).toHaveLength(2);
    for (const r of regs) {
      expect(r.body.properties?.["adminUserEnabled"], String(r.body.name)).toBe(false);
      expect(r.body.properties?.["anonymousPullEnabled"], String(r.body.name)).not.toBe(true);
    }
  });

  it("clusters disable local accounts and use Entra ID with Azure RBAC, OIDC and workload identity", () => {
    const clusters = byType(state, "Microsoft.ContainerService/managedClusters");
    expect(clusters).toHaveLength(2);
    for (const c of clusters) {
      expect(c.body.properties, String(c.body.name)).toMatchObject({
        disableLocalAccounts: true,
        enableRBAC: true,
        aadProfile: { managed: true, enableAzureRBAC: true },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
      });
    }
  });

  it("the Key Vault uses RBAC authorization, soft delete and purge protection, with no access policies", () => {
    const vaults = byType(state, "Microsoft.KeyVault/vaults");
    expect(vaults).toHaveLength(1);
    expect(vaults[0]!.body.properties).toMatchObject({
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      enablePurgeProtection: true,
      accessPolicies: [],
    });
  });

  it("service connections use workload identity federation with no secret parameter", () => {
    const endpoints = Object.values(state.devops.serviceEndpoints);
    expect(endpoints.map((e) => e.name).sort()).toEqual(
      ["acr-sec-nonprod", "sc-sec-ci", "sc-sec-prod", "sc-sec-staging"].sort(),
    );
    for (const e of endpoints) {
      expect(e.authorization.scheme, e.name).toBe("WorkloadIdentityFederation");
      expect(e.data["creationMode"], e.name).toBe("Manual");
      expect(e.secretParameterNames ?? [], e.name).toEqual([]);
      for (const key of Object.keys(e.authorization.parameters))
        expect(key, `${e.name} parameter`).not.toMatch(/key|secret|password|certificate|token/i);
    }
  });

  it("each pipeline identity trusts exactly its own connection's issuer and subject", () => {
    const creds = byType(
      state,
      "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
    );
    const bySubject = new Map(
      Object.values(state.devops.serviceEndpoints).map((e) => [
        e.authorization.parameters["workloadIdentityFederationSubject"],
        e,
      ]),
    );
    expect(creds.length).toBe(bySubject.size);
    for (const c of creds) {
      const p = c.body.properties as { issuer: string; subject: string; audiences: string[] };
      const endpoint = bySubject.get(p.subject);
      expect(endpoint, c.id).toBeDefined();
      expect(p.issuer).toBe(endpoint!.authorization.parameters["workloadIdentityFederationIssuer"]);
      expect(p.audiences).toEqual(["api://AzureADTokenExchange"]);
    }
  });

  it("no pipeline permission authorizes all pipelines; each resource goes to the pipelines that use it", () => {
    const defs = state.devops.definitions;
    const names: Record<string, string> = {};
    for (const [id, e] of Object.entries(state.devops.serviceEndpoints)) names[`endpoint/${id}`] = e.name;
    for (const [id, g] of Object.entries(state.devops.variableGroups)) names[`variablegroup/${id}`] = g.name;
    for (const [id, e] of Object.entries(state.devops.environments))
      names[`environment/${id}`] = `env ${e.name}`;
    const granted: string[] = [];
    for (const [key, perm] of Object.entries(state.devops.pipelinePermissions)) {
      const resource = key.split("/").slice(1).join("/");
      expect(perm.allPipelines?.authorized ?? false, key).toBe(false);
      for (const p of perm.pipelines.filter((x) => x.authorized))
        granted.push(`${defs[String(p.id)]?.name} -> ${names[resource] ?? resource}`);
    }
    expect(granted.sort()).toEqual(
      [
        "sec-ci -> sc-sec-ci",
        "sec-ci -> acr-sec-nonprod",
        "sec-ci -> sec-ci-secrets",
        "sec-cd -> sc-sec-staging",
        "sec-cd -> sc-sec-prod",
        "sec-cd -> sec-staging",
        "sec-cd -> sec-production",
        "sec-cd -> env sec-staging",
        "sec-cd -> env sec-production",
      ].sort(),
    );
  });

  it("production deployments wait for an approval", () => {
    const checks = Object.values(state.devops.checks);
    const prod = checks.find(
      (c) => c.resource.type === "environment" && c.resource.name === "sec-production",
    );
    expect(prod?.type.name).toBe("Approval");
    expect(prod!.settings.approvers.length).toBeGreaterThan(0);
    expect(prod!.settings.minRequiredApprovers).toBeGreaterThanOrEqual(1);
  });
});
