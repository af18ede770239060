import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyRun, planRun, type RunResult } from "../../src/engine/runner.js";
import type { EngineEvent } from "../../src/engine/types.js";
import { ids, type PipelineRole } from "../../steps/ids.js";
import { FEDERATION_AUDIENCE } from "../../steps/azure/federated-credential.js";
import { APPROVAL_CHECK_TYPE } from "../../steps/devops/approval-check.js";
import { POLICY_TYPES } from "../../steps/devops/branch-policy.js";
import { groupVariables } from "../../steps/devops/variables.js";
import { devopsState, startDevopsBed, type DevopsBed } from "./harness.js";

/** Devops requests that change something, from the traffic log, after line `from`. */
function devopsWrites(bed: DevopsBed, from: number): string[] {
  return trafficLines(bed)
    .slice(from)
    .filter((l) => l.service === "devops" && !["GET", "OPTIONS", "HEAD"].includes(l.method))
    .map((l) => `${l.method} ${new URL(l.url).pathname}`);
}

function trafficLines(bed: DevopsBed): { service: string; method: string; url: string }[] {
  const text = readFileSync(bed.sandbox.trafficLogPath, "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { service: string; method: string; url: string });
}

interface Applied {
  readonly result: RunResult;
  readonly events: EngineEvent[];
  /** "step: message" of every failed step. */
  readonly failures: string[];
}

async function apply(bed: DevopsBed): Promise<Applied> {
  const events: EngineEvent[] = [];
  const result = await applyRun(bed.steps(), { onEvent: (e) => events.push(e) });
  const failures = events.flatMap((e) =>
    e.type === "step-status" && e.status === "failed" ? [`${e.stepId}: ${e.error?.message}`] : [],
  );
  return { result, events, failures };
}

async function federatedCredentials(bed: DevopsBed, role: PipelineRole) {
  const identity = bed.identities[role];
  const rg = /resourceGroups\/([^/]+)/.exec(identity.id)![1]!;
  const out = [];
  for await (const f of bed.deps.azure.msi.federatedIdentityCredentials.list(rg, identity.name)) out.push(f);
  return out;
}

describe("Azure DevOps steps against the sandbox", () => {
  let bed: DevopsBed;
  let first: Applied;

  beforeAll(async () => {
    // Given a sandbox with the Azure side in place and an empty Azure DevOps organization
    bed = await startDevopsBed();
    // When the DevOps steps are applied
    first = await apply(bed);
  });
  afterAll(async () => bed?.close());

  test("a fresh apply creates the project, repository, connections, environments, groups, pipelines and policies", () => {
    const s = devopsState(bed.sandbox);
    const n = bed.deps.names;
    expect(first.failures).toEqual([]);
    expect(first.result.outcome).toBe("succeeded");
    expect(Object.values(s.projects).map((p) => p.name)).toEqual(["demo"]);
    expect(Object.values(s.repositories).map((r) => r.name)).toContain("demo");
    expect(
      Object.values(s.serviceEndpoints)
        .map((e) => e.name)
        .sort(),
    ).toEqual([n.connectionCi, n.connectionStaging, n.connectionProd, n.registryConnection].sort());
    expect(
      Object.values(s.environments)
        .map((e) => e.name)
        .sort(),
    ).toEqual([n.environmentProd, n.environmentStaging].sort());
    expect(
      Object.values(s.variableGroups)
        .map((g) => g.name)
        .sort(),
    ).toEqual([n.variableGroupSecrets, n.variableGroupStaging, n.variableGroupProd].sort());
    expect(
      Object.values(s.definitions)
        .map((d) => [d.name, d.process.yamlFilename])
        .sort(),
    ).toEqual([
      [n.pipelineCd, ".azure-pipelines/cd.yml"],
      [n.pipelineCi, ".azure-pipelines/ci.yml"],
      [n.pipelinePr, ".azure-pipelines/pr.yml"],
    ]);
    const live = Object.values(s.policies).filter((p) => !p.isDeleted);
    expect(live.map((p) => p.typeId).sort()).toEqual([POLICY_TYPES.build, POLICY_TYPES.reviewers].sort());
  });

  test("ARM connections use workload identity federation as their pipeline identity, and each federated credential copies the reported issuer and subject", async () => {
    const s = devopsState(bed.sandbox);
    const n = bed.deps.names;
    const byName = (name: string) => Object.values(s.serviceEndpoints).find((e) => e.name === name)!;
    for (const [role, name] of [
      ["ci", n.connectionCi],
      ["staging", n.connectionStaging],
      ["prod", n.connectionProd],
    ] as const) {
      const e = byName(name);
      expect(e.type).toBe("AzureRM");
      expect(e.authorization.scheme).toBe("WorkloadIdentityFederation");
      expect(e.authorization.parameters.serviceprincipalid).toBe(bed.identities[role].clientId);
      expect(e.data).toMatchObject({
        creationMode: "Manual",
        scopeLevel: "Subscription",
        subscriptionId: bed.sandbox.subscriptionId,
      });
      const fics = await federatedCredentials(bed, role);
      const fic = fics.find((f) => f.name === `fic-${name}`);
      expect(fic?.issuer).toBe(e.authorization.parameters.workloadIdentityFederationIssuer);
      expect(fic?.subject).toBe(e.authorization.parameters.workloadIdentityFederationSubject);
      expect(fic?.audiences).toEqual([FEDERATION_AUDIENCE]);
    }
    // The registry connection signs in as the CI identity too: a second credential on it.
    const acr = byName(n.registryConnection);
    expect(acr.type).toBe("dockerregistry");
    expect(acr.authorization.scheme).toBe("WorkloadIdentityFederation");
    expect(acr.data).toMatchObject({ registrytype: "ACR", registryId: bed.registries.nonprod.id });
    const ciFics = await federatedCredentials(bed, "ci");
    expect(ciFics.find((f) => f.name === `fic-${n.registryConnection}`)?.subject).toBe(
      acr.authorization.parameters.workloadIdentityFederationSubject,
    );
  });

  test("variable groups: the secrets group reads the vault through the CI connection; environment groups carry the configuration", () => {
    const s = devopsState(bed.sandbox);
    const n = bed.deps.names;
    const group = (name: string) => Object.values(s.variableGroups).find((g) => g.name === name)!;
    const ciConnection = Object.values(s.serviceEndpoints).find((e) => e.name === n.connectionCi)!;
    const secrets = group(n.variableGroupSecrets);
    expect(secrets.type).toBe("AzureKeyVault");
    expect(secrets.providerData).toEqual({ serviceEndpointId: ciConnection.id, vault: bed.vault.name });
    expect(Object.keys(secrets.variables)).toEqual(["db-password"]);
    const prod = group(n.variableGroupProd).variables;
    expect(prod[groupVariables.registryLoginServer]?.value).toBe(bed.registries.prod.loginServer);
    expect(prod[groupVariables.sourceRegistryLoginServer]?.value).toBe(bed.registries.nonprod.loginServer);
    expect(prod[groupVariables.clusterName]?.value).toBe(n.clusterProd);
    expect(prod[groupVariables.appInsightsConnectionString]?.value).toMatch(/^InstrumentationKey=/);
    const staging = group(n.variableGroupStaging).variables;
    expect(staging[groupVariables.registryLoginServer]?.value).toBe(bed.registries.nonprod.loginServer);
    expect(staging[groupVariables.namespace]?.value).toBe(n.namespace);
  });

  test("each pipeline is authorized for exactly the resources it uses, never for all pipelines", () => {
    const s = devopsState(bed.sandbox);
    const n = bed.deps.names;
    const def = (name: string) => Object.values(s.definitions).find((d) => d.name === name)!.id;
    const nameOf = (key: string): string => {
      const [, type, id] = key.split("/") as [string, string, string];
      if (type === "endpoint") return s.serviceEndpoints[id]!.name;
      if (type === "variablegroup") return s.variableGroups[id]!.name;
      return Object.values(s.environments).find((e) => String(e.id) === id)!.name;
    };
    const authorizedFor = (pipelineId: number) =>
      Object.entries(s.pipelinePermissions)
        .filter(([, p]) => p.pipelines.some((x) => x.id === pipelineId && x.authorized))
        .map(([key]) => nameOf(key))
        .sort();
    expect(authorizedFor(def(n.pipelinePr))).toEqual([]);
    expect(authorizedFor(def(n.pipelineCi))).toEqual(
      [n.registryConnection, n.variableGroupSecrets, n.connectionCi].sort(),
    );
    expect(authorizedFor(def(n.pipelineCd))).toEqual(
      [
        n.connectionStaging,
        n.connectionProd,
        n.variableGroupStaging,
        n.variableGroupProd,
        n.environmentStaging,
        n.environmentProd,
      ].sort(),
    );
    expect(Object.values(s.pipelinePermissions).every((p) => p.allPipelines?.authorized !== true)).toBe(true);
  });

  test("production has an Approval check by the signed-in user; staging has none", () => {
    const s = devopsState(bed.sandbox);
    const envId = (name: string) => String(Object.values(s.environments).find((e) => e.name === name)!.id);
    const checksOn = (name: string) =>
      Object.values(s.checks).filter(
        (c) => c.resource.type === "environment" && c.resource.id === envId(name),
      );
    const prod = checksOn(bed.deps.names.environmentProd);
    expect(prod.map((c) => c.type.id)).toEqual([APPROVAL_CHECK_TYPE.id]);
    // The signed-in operator alone approves: barring the requester would leave their own
    // merge's CD run with nobody able to approve it.
    expect(prod[0]?.settings).toMatchObject({ minRequiredApprovers: 1, requesterCannotBeApprover: false });
    expect((prod[0]?.settings.approvers as unknown[]).length).toBe(1);
    expect(checksOn(bed.deps.names.environmentStaging)).toEqual([]);
  });

  test("the build policy names the PR pipeline and blocks; CD is created after CI", () => {
    const s = devopsState(bed.sandbox);
    const n = bed.deps.names;
    const pr = Object.values(s.definitions).find((d) => d.name === n.pipelinePr)!;
    const build = Object.values(s.policies).find((p) => p.typeId === POLICY_TYPES.build)!;
    expect(build).toMatchObject({ isEnabled: true, isBlocking: true });
    expect(build.settings.buildDefinitionId).toBe(pr.id);
    expect(build.settings.scope).toEqual([
      { repositoryId: pr.repository.id, refName: "refs/heads/main", matchKind: "Exact" },
    ]);
    const reviewers = Object.values(s.policies).find((p) => p.typeId === POLICY_TYPES.reviewers)!;
    expect(reviewers.settings.minimumApproverCount).toBe(1);
    const seq = (id: string, status: string) =>
      first.events.find((e) => e.type === "step-status" && e.stepId === id && e.status === status)?.seq ??
      Infinity;
    expect(seq(ids.devops.pipeline("ci"), "succeeded")).toBeLessThan(
      seq(ids.devops.pipeline("cd"), "detecting"),
    );
  });

  test("a rerun plans no change, reads each object once, and writes nothing", async () => {
    const start = trafficLines(bed).length;
    const plan = await planRun(bed.steps());
    const changed = [...plan.changes].filter(([, c]) => c.kind !== "noop").map(([id]) => id);
    expect(changed).toEqual([]);
    const reads = new Map<string, number>();
    for (const l of trafficLines(bed).slice(start)) {
      if (l.service !== "devops" || l.method !== "GET") continue;
      const u = new URL(l.url);
      const key = `${u.pathname}?${[...u.searchParams].filter(([k]) => k !== "api-version").join("&")}`;
      reads.set(key, (reads.get(key) ?? 0) + 1);
    }
    expect([...reads].filter(([, n]) => n > 1)).toEqual([]);
    const before = trafficLines(bed).length;
    expect((await apply(bed)).failures).toEqual([]);
    expect(devopsWrites(bed, before)).toEqual([]);
  });

  test("drift is repaired: a deleted connection is recreated and its federated credential follows the new subject", async () => {
    const n = bed.deps.names;
    const s0 = devopsState(bed.sandbox);
    const project = Object.values(s0.projects)[0]!;
    const old = Object.values(s0.serviceEndpoints).find((e) => e.name === n.connectionStaging)!;
    const pr = Object.values(s0.definitions).find((d) => d.name === n.pipelinePr)!;
    const build = Object.values(s0.policies).find((p) => p.typeId === POLICY_TYPES.build)!;
    const prodEnv = Object.values(s0.environments).find((e) => e.name === n.environmentProd)!;
    const devops = bed.deps.devops;
    const api = await devops.api();
    // Given a careless colleague: deletes a connection, disables the build policy, points the
    // PR pipeline at another file and opens the production environment to every pipeline
    await (await api.getServiceEndpointApi()).deleteServiceEndpoint(old.id, [project.id]);
    const policyApi = await api.getPolicyApi();
    const policy = await policyApi.getPolicyConfiguration(project.id, build.id);
    await policyApi.updatePolicyConfiguration({ ...policy, isEnabled: false }, project.id, build.id);
    const buildApi = await api.getBuildApi();
    const def = await buildApi.getDefinition(project.id, pr.id);
    await buildApi.updateDefinition(
      { ...def, process: { type: 2, yamlFilename: "elsewhere.yml" } as never },
      project.id,
      pr.id,
    );
    await devops.rest(
      "PATCH",
      `${project.id}/_apis/pipelines/pipelinePermissions/environment/${prodEnv.id}?api-version=7.1-preview.1`,
      {
        allPipelines: { authorized: true },
        pipelines: [{ id: pr.id, authorized: true }],
      },
    );

    // When the steps run again
    const plan = await planRun(bed.steps());
    expect(plan.changes.get(ids.devops.serviceConnection("staging"))?.kind).toBe("create");
    expect((await apply(bed)).failures).toEqual([]);

    // Then everything is back, and the credential trusts the new connection's subject
    const s = devopsState(bed.sandbox);
    const fresh = Object.values(s.serviceEndpoints).find((e) => e.name === n.connectionStaging)!;
    expect(fresh.id).not.toBe(old.id);
    const subject = fresh.authorization.parameters.workloadIdentityFederationSubject;
    expect(subject).not.toBe(old.authorization.parameters.workloadIdentityFederationSubject);
    const fic = (await federatedCredentials(bed, "staging")).find(
      (f) => f.name === `fic-${n.connectionStaging}`,
    );
    expect(fic?.subject).toBe(subject);
    expect(s.policies[String(build.id)]).toMatchObject({ isEnabled: true, isBlocking: true });
    expect(s.definitions[String(pr.id)]?.process.yamlFilename).toBe(".azure-pipelines/pr.yml");
    const perm = s.pipelinePermissions[`${project.id}/environment/${prodEnv.id}`]!;
    expect(perm.allPipelines?.authorized ?? false).toBe(false);
    expect(perm.pipelines.find((p) => p.id === pr.id)?.authorized ?? false).toBe(false);
    // The CD pipeline, which uses the recreated connection, is authorized for the new one.
    const cd = Object.values(s.definitions).find((d) => d.name === n.pipelineCd)!;
    const cdOnFresh = s.pipelinePermissions[`${project.id}/endpoint/${fresh.id}`]?.pipelines.find(
      (p) => p.id === cd.id,
    );
    expect(cdOnFresh?.authorized).toBe(true);
    // And a further plan is clean.
    const after = await planRun(bed.steps());
    expect([...after.changes].filter(([, c]) => c.kind !== "noop").map(([id]) => id)).toEqual([]);
  });

  test("drift is repaired: deleted federated credential, environment (with its check) and build policy; an edited group value", async () => {
    const n = bed.deps.names;
    const s0 = devopsState(bed.sandbox);
    const project = Object.values(s0.projects)[0]!;
    const prodEnv = Object.values(s0.environments).find((e) => e.name === n.environmentProd)!;
    const build = Object.values(s0.policies).find((p) => p.typeId === POLICY_TYPES.build && !p.isDeleted)!;
    const staging = Object.values(s0.variableGroups).find((g) => g.name === n.variableGroupStaging)!;
    const api = await bed.deps.devops.api();
    const ci = bed.identities.ci;
    // Given: the CI credential, the production environment and the build policy deleted, and a
    // configuration value overwritten by hand
    await bed.deps.azure.msi.federatedIdentityCredentials.delete(
      /resourceGroups\/([^/]+)/.exec(ci.id)![1]!,
      ci.name,
      `fic-${n.connectionCi}`,
    );
    await (await api.getTaskAgentApi()).deleteEnvironment(project.id, prodEnv.id);
    await (await api.getPolicyApi()).deletePolicyConfiguration(project.id, build.id);
    const agent = await api.getTaskAgentApi();
    const group = await agent.getVariableGroup(project.id, staging.id);
    await agent.updateVariableGroup(
      {
        name: group.name,
        type: group.type,
        variables: { ...group.variables, [groupVariables.clusterName]: { value: "someone-elses-cluster" } },
        variableGroupProjectReferences: group.variableGroupProjectReferences,
      },
      staging.id,
    );

    // When planned, each object and field is named; then applied
    const plan = await planRun(bed.steps());
    expect(plan.changes.get(ids.azure.federatedCredential("ci"))?.kind).toBe("create");
    expect(plan.changes.get(ids.devops.environment("prod"))?.kind).toBe("create");
    expect(plan.changes.get(ids.devops.branchPolicy("build"))?.kind).toBe("create");
    expect(plan.changes.get(ids.devops.variableGroup("staging"))).toMatchObject({
      kind: "update",
      fields: [
        {
          field: `variables.${groupVariables.clusterName}`,
          from: "someone-elses-cluster",
          to: n.clusterStaging,
        },
      ],
    });
    expect((await apply(bed)).failures).toEqual([]);

    // Then all is back: a new production environment with its Approval check and CD's access
    const s = devopsState(bed.sandbox);
    const env = Object.values(s.environments).find((e) => e.name === n.environmentProd)!;
    expect(env.id).not.toBe(prodEnv.id);
    const checks = Object.values(s.checks).filter(
      (c) => c.resource.type === "environment" && c.resource.id === String(env.id),
    );
    expect(checks.map((c) => c.type.id)).toEqual([APPROVAL_CHECK_TYPE.id]);
    const cd = Object.values(s.definitions).find((d) => d.name === n.pipelineCd)!;
    expect(
      s.pipelinePermissions[`${project.id}/environment/${env.id}`]?.pipelines.find((p) => p.id === cd.id)
        ?.authorized,
    ).toBe(true);
    expect(
      Object.values(s.policies).filter((p) => p.typeId === POLICY_TYPES.build && !p.isDeleted),
    ).toHaveLength(1);
    expect(s.variableGroups[String(staging.id)]?.variables[groupVariables.clusterName]?.value).toBe(
      n.clusterStaging,
    );
    const ciConnection = Object.values(s.serviceEndpoints).find((e) => e.name === n.connectionCi)!;
    const fic = (await federatedCredentials(bed, "ci")).find((f) => f.name === `fic-${n.connectionCi}`);
    expect(fic?.subject).toBe(ciConnection.authorization.parameters.workloadIdentityFederationSubject);
    const after = await planRun(bed.steps());
    expect([...after.changes].filter(([, c]) => c.kind !== "noop").map(([id]) => id)).toEqual([]);
  });

  test("drift is repaired: a removed Approval check comes back on the same environment", async () => {
    const s0 = devopsState(bed.sandbox);
    const project = Object.values(s0.projects)[0]!;
    const check = Object.values(s0.checks).find((c) => c.type.id === APPROVAL_CHECK_TYPE.id)!;
    const removed = await bed.deps.devops.rest(
      "DELETE",
      `${project.id}/_apis/pipelines/checks/configurations/${check.id}?api-version=7.2-preview.1`,
    );
    expect(removed.status).toBeLessThan(300);
    const plan = await planRun(bed.steps());
    expect(plan.changes.get(ids.devops.approvalCheck)?.kind).toBe("create");
    expect((await apply(bed)).failures).toEqual([]);
    const after = Object.values(devopsState(bed.sandbox).checks).filter(
      (c) => c.type.id === APPROVAL_CHECK_TYPE.id,
    );
    expect(after.map((c) => c.resource)).toEqual([check.resource]);
  });
});

describe("Azure DevOps steps on an empty organization", () => {
  let bed: DevopsBed;
  beforeAll(async () => {
    bed = await startDevopsBed();
  });
  afterAll(async () => bed?.close());

  test("plan lists every object as a creation and writes nothing", async () => {
    const before = trafficLines(bed).length;
    const plan = await planRun(bed.steps());
    expect(plan.failed).toEqual([]);
    for (const id of [
      ids.devops.project,
      ids.devops.repository,
      ids.devops.serviceConnection("ci"),
      ids.devops.registryConnection,
      ids.devops.environment("prod"),
      ids.devops.approvalCheck,
      ids.devops.variableGroup("secrets"),
      ids.devops.pipeline("cd"),
      ids.devops.pipelinePermissions("cd"),
      ids.devops.branchPolicy("build"),
      ids.azure.federatedCredential("staging"),
    ]) {
      expect(plan.changes.get(id)?.kind, id).toBe("create");
    }
    expect(plan.changes.get(ids.devops.pipelinePermissions("pr"))?.kind).toBe("noop");
    expect(devopsWrites(bed, before)).toEqual([]);
  });

  test("a missing project with createProject false stops with a UserError and skips its dependents", async () => {
    const answers = { ...bed.deps.answers, devops: { ...bed.deps.answers.devops, createProject: false } };
    const events: EngineEvent[] = [];
    const result = await applyRun(bed.steps({ answers }), { onEvent: (e) => events.push(e) });
    expect(result.failed).toEqual([ids.devops.project]);
    expect(result.skipped).toContain(ids.devops.repository);
    const failure = events.find((e) => e.type === "step-status" && e.status === "failed");
    expect(failure?.type === "step-status" && failure.error).toMatchObject({
      message: expect.stringContaining('project "demo" does not exist') as unknown,
      hint: expect.stringContaining("createProject: true") as unknown,
    });
    expect(Object.keys(devopsState(bed.sandbox).projects)).toEqual([]);
  });
});
