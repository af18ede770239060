import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebApi } from "azure-devops-node-api";
import { ItemContentType, VersionControlChangeType } from "azure-devops-node-api/interfaces/GitInterfaces.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox, rejection } from "./helpers.js";
import { bearerApi, createVault, patApi, raw, waitFor } from "./devops-helpers.js";

const ZERO = "0000000000000000000000000000000000000000";
const AGILE = "adcc42ab-9882-485e-a3ed-7678f01f66bc";
const APPROVAL = "8c6f20a7-a545-4486-9777-f762fafe0d4d";
const BUILD_POLICY = "0609b952-1397-4640-95ec-e00a01b2c241";
const MIN_REVIEWERS = "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd";

describe("sandbox Azure DevOps: connections, environments, groups, pipelines, policies", () => {
  let sandbox: Sandbox;
  let api: WebApi;
  let projectId: string;
  let repoId: string;
  let mainTip: string;

  beforeAll(async () => {
    sandbox = await fastSandbox();
    api = await bearerApi(sandbox);
    await createVault(sandbox, "kv-shop-ci");
    const core = await api.getCoreApi();
    const op = await core.queueCreateProject({
      name: "shop",
      capabilities: {
        versioncontrol: { sourceControlType: "Git" },
        processTemplate: { templateTypeId: AGILE },
      },
    } as never);
    await waitFor("project", async () =>
      (await raw(sandbox, "GET", `_apis/operations/${op.id}?api-version=7.1`)).json<{ status: string }>()
        .status === "succeeded"
        ? true
        : undefined,
    );
    projectId = (await core.getProject("shop")).id as string;
    const git = await api.getGitApi();
    const repo = await git.getRepository("shop", "shop");
    repoId = repo.id as string;
    const push = await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: ZERO }],
        commits: [
          {
            comment: "pipelines",
            changes: [
              {
                changeType: VersionControlChangeType.Add,
                item: { path: "/.azure-pipelines/pr.yml" },
                newContent: {
                  content: "trigger: none\nsteps:\n  - script: echo hello\n",
                  contentType: ItemContentType.RawText,
                },
              },
            ],
          },
        ],
      },
      repoId,
      "shop",
    );
    mainTip = push.refUpdates?.[0]?.newObjectId as string;
  });
  afterAll(() => sandbox?.close());

  it("creates a workload identity federation service connection with issuer and subject filled in", async () => {
    const se = await api.getServiceEndpointApi();
    // Given an AzureRM connection request with scheme WorkloadIdentityFederation, When it is created
    const created = await se.createServiceEndpoint({
      name: "sc-shop-ci",
      type: "azurerm",
      url: "https://management.azure.com/",
      authorization: {
        scheme: "WorkloadIdentityFederation",
        parameters: {
          tenantid: sandbox.tenantId,
          serviceprincipalid: "11111111-2222-3333-4444-555555555555",
        },
      },
      data: {
        subscriptionId: sandbox.subscriptionId,
        subscriptionName: "sandbox",
        environment: "AzureCloud",
        scopeLevel: "Subscription",
        creationMode: "Manual",
      },
      serviceEndpointProjectReferences: [
        { projectReference: { id: projectId, name: "shop" }, name: "sc-shop-ci" },
      ],
    });
    // Then the service filled in the Entra issuer and the subject naming org and connection
    const p = created.authorization?.parameters ?? {};
    expect(p.workloadIdentityFederationIssuer).toBe(
      `https://login.microsoftonline.com/${sandbox.tenantId}/v2.0`,
    );
    expect(p.workloadIdentityFederationSubject).toMatch(
      new RegExp(`^/eid1/c/pub/t/[A-Za-z0-9_-]{22}/a/[A-Za-z0-9_-]{22}/sc/[0-9a-f-]{36}/${created.id}$`),
    );
    expect(created.isReady).toBe(true);
    // And it is found by name, and by id
    const byName = await se.getServiceEndpointsByNames("shop", ["sc-shop-ci"]);
    expect(byName.map((e) => e.id)).toEqual([created.id]);
    const details = await se.getServiceEndpointDetails("shop", created.id as string);
    expect(details.authorization?.parameters?.workloadIdentityFederationSubject).toBe(
      p.workloadIdentityFederationSubject,
    );
    // And a duplicate name is a conflict, a missing project reference a 400
    const dup = await rejection(se.createServiceEndpoint({ ...created, id: undefined } as never));
    expect(dup.statusCode).toBe(409);
    const bad = await rejection(
      se.createServiceEndpoint({
        name: "x",
        type: "azurerm",
        url: "https://management.azure.com/",
        authorization: {
          scheme: "WorkloadIdentityFederation",
          parameters: { tenantid: sandbox.tenantId, serviceprincipalid: "1" },
        },
        data: {},
      }),
    );
    expect(bad.statusCode).toBe(400);
  });

  it("updates a connection keeping its federation subject, refuses unsupported schemes, and deletes", async () => {
    const se = await api.getServiceEndpointApi();
    const created = await se.createServiceEndpoint({
      name: "sc-shop-tmp",
      type: "azurerm",
      url: "https://management.azure.com/",
      authorization: {
        scheme: "WorkloadIdentityFederation",
        parameters: {
          tenantid: sandbox.tenantId,
          serviceprincipalid: "11111111-2222-3333-4444-555555555555",
        },
      },
      data: {
        subscriptionId: sandbox.subscriptionId,
        subscriptionName: "sandbox",
        scopeLevel: "Subscription",
        creationMode: "Manual",
      },
      serviceEndpointProjectReferences: [
        { projectReference: { id: projectId, name: "shop" }, name: "sc-shop-tmp" },
      ],
    });
    const subject = created.authorization?.parameters?.workloadIdentityFederationSubject;
    // When its service principal changes, Then the subject (bound to the connection id) stays
    const updated = await se.updateServiceEndpoint(
      {
        ...created,
        authorization: {
          scheme: "WorkloadIdentityFederation",
          parameters: {
            tenantid: sandbox.tenantId,
            serviceprincipalid: "66666666-2222-3333-4444-555555555555",
          },
        },
      },
      created.id as string,
    );
    expect(updated.authorization?.parameters?.serviceprincipalid).toBe(
      "66666666-2222-3333-4444-555555555555",
    );
    expect(updated.authorization?.parameters?.workloadIdentityFederationSubject).toBe(subject);
    // And a scheme the service would need to create an Entra app for is refused
    const automatic = await rejection(
      se.createServiceEndpoint({
        ...created,
        id: undefined,
        name: "sc-auto",
        data: { ...created.data, creationMode: "Automatic" },
        serviceEndpointProjectReferences: [
          { projectReference: { id: projectId, name: "shop" }, name: "sc-auto" },
        ],
      } as never),
    );
    expect(automatic.statusCode).toBe(400);
    const unknownScheme = await rejection(
      se.createServiceEndpoint({
        ...created,
        id: undefined,
        name: "sc-x",
        authorization: { scheme: "Certificate", parameters: {} },
        serviceEndpointProjectReferences: [
          { projectReference: { id: projectId, name: "shop" }, name: "sc-x" },
        ],
      } as never),
    );
    expect(unknownScheme.statusCode).toBe(400);
    // And once deleted from the project it reads as absent
    await se.deleteServiceEndpoint(created.id as string, [projectId]);
    expect(await se.getServiceEndpointDetails("shop", created.id as string)).toBeNull();
  });

  it("creates an ACR registry connection with a service principal, without its key", async () => {
    const se = await api.getServiceEndpointApi();
    const acr = await se.createServiceEndpoint({
      name: "acr-shop-spn",
      type: "dockerregistry",
      url: "https://crshop.azurecr.io",
      authorization: {
        scheme: "ServicePrincipal",
        parameters: {
          loginServer: "crshop.azurecr.io",
          servicePrincipalId: "77777777-2222-3333-4444-555555555555",
          tenantId: sandbox.tenantId,
          role: "8311e382-0749-4cb8-b61a-304f252e45ec",
          scope: `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crshop`,
          servicePrincipalKey: "acr-key-value-secret",
        },
      },
      data: {
        registryId: `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crshop`,
        registrytype: "ACR",
        subscriptionId: sandbox.subscriptionId,
        subscriptionName: "sandbox",
        azureSpnRoleAssignmentId: "",
        azureSpnPermissions: "",
      },
      serviceEndpointProjectReferences: [
        { projectReference: { id: projectId, name: "shop" }, name: "acr-shop-spn" },
      ],
    });
    expect(acr.data?.registrytype).toBe("ACR");
    expect(acr.authorization?.parameters?.servicePrincipalKey).toBeNull();
    expect(JSON.stringify(sandbox.state())).not.toContain("acr-key-value-secret");
  });

  it("never returns nor stores a secret parameter", async () => {
    const se = await api.getServiceEndpointApi();
    const created = await se.createServiceEndpoint({
      name: "acr-shop-nonprod",
      type: "dockerregistry",
      url: "https://crshop.azurecr.io",
      authorization: {
        scheme: "UsernamePassword",
        parameters: {
          registry: "https://crshop.azurecr.io",
          username: "crshop",
          password: "pa55-w0rd-secret",
        },
      },
      data: { registrytype: "Others" },
      serviceEndpointProjectReferences: [
        { projectReference: { id: projectId, name: "shop" }, name: "acr-shop-nonprod" },
      ],
    });
    expect(created.authorization?.parameters?.password).toBeNull();
    expect(JSON.stringify(sandbox.state())).not.toContain("pa55-w0rd-secret");
    expect(readFileSync(sandbox.trafficLogPath, "utf8")).not.toContain("pa55-w0rd-secret");
  });

  it("creates an environment with an approval check", async () => {
    const ta = await api.getTaskAgentApi();
    const env = await ta.addEnvironment({ name: "shop-production", description: "prod" }, "shop");
    expect(env.id).toBeGreaterThan(0);
    const envs = await ta.getEnvironments("shop", "shop-production");
    expect(envs.map((e) => e.id)).toEqual([env.id]);
    expect((await rejection(ta.addEnvironment({ name: "SHOP-production" }, "shop"))).statusCode).toBe(409);
    // When an approval check is added on it through the REST route
    const check = await raw(
      sandbox,
      "POST",
      "shop/_apis/pipelines/checks/configurations?api-version=7.2-preview.1",
      {
        body: {
          type: { id: APPROVAL, name: "Approval" },
          settings: {
            approvers: [{ id: "3b3db741-9d03-4e32-a7c0-6c3dfc2013c1" }],
            executionOrder: "anyOrder",
            minRequiredApprovers: 1,
            instructions: "",
            blockedApprovers: [],
          },
          timeout: 43200,
          resource: { type: "environment", id: String(env.id) },
        },
      },
    );
    expect(check.status).toBe(200);
    // Then it is listed for that resource, with its settings when expanded
    const listed = await raw(
      sandbox,
      "GET",
      `shop/_apis/pipelines/checks/configurations?resourceType=environment&resourceId=${env.id}&$expand=settings&api-version=7.2-preview.1`,
    );
    const body = listed.json<{
      count: number;
      value: { type: { id: string }; settings: { approvers: unknown[] } }[];
    }>();
    expect(body.count).toBe(1);
    expect(body.value[0]?.type.id).toBe(APPROVAL);
    expect(body.value[0]?.settings.approvers).toHaveLength(1);
    // And an approval without approvers, or on an absent environment, is refused
    const noApprovers = await raw(
      sandbox,
      "POST",
      "shop/_apis/pipelines/checks/configurations?api-version=7.2-preview.1",
      {
        body: {
          type: { id: APPROVAL },
          settings: { approvers: [] },
          resource: { type: "environment", id: String(env.id) },
        },
      },
    );
    expect(noApprovers.status).toBe(400);
    const absent = await raw(
      sandbox,
      "POST",
      "shop/_apis/pipelines/checks/configurations?api-version=7.2-preview.1",
      {
        body: {
          type: { id: APPROVAL },
          settings: { approvers: [{ id: "x" }] },
          resource: { type: "environment", id: "999" },
        },
      },
    );
    expect(absent.status).toBe(404);
  });

  it("creates plain and Key Vault linked variable groups", async () => {
    const ta = await api.getTaskAgentApi();
    const [sc] = await (await api.getServiceEndpointApi()).getServiceEndpointsByNames("shop", ["sc-shop-ci"]);
    const plain = await ta.addVariableGroup({
      name: "shop-staging",
      type: "Vsts",
      variables: {
        resourceGroup: { value: "rg-shop-staging" },
        token: { value: "hush-hush-value", isSecret: true },
      },
      variableGroupProjectReferences: [
        { projectReference: { id: projectId, name: "shop" }, name: "shop-staging" },
      ],
    });
    expect(plain.variables?.resourceGroup?.value).toBe("rg-shop-staging");
    expect(plain.variables?.token?.value).toBeNull();
    expect(JSON.stringify(sandbox.state())).not.toContain("hush-hush-value");
    const kv = await ta.addVariableGroup({
      name: "shop-ci-secrets",
      type: "AzureKeyVault",
      providerData: { serviceEndpointId: sc?.id, vault: "kv-shop-ci" } as never,
      variables: { "registry-password": { enabled: true, isSecret: true } as never },
      variableGroupProjectReferences: [
        { projectReference: { id: projectId, name: "shop" }, name: "shop-ci-secrets" },
      ],
    });
    expect(kv.type).toBe("AzureKeyVault");
    expect(kv.providerData).toMatchObject({ serviceEndpointId: sc?.id, vault: "kv-shop-ci" });
    // A vault that does not exist is refused
    const noVault = await rejection(
      ta.addVariableGroup({
        name: "shop-other",
        type: "AzureKeyVault",
        providerData: { serviceEndpointId: sc?.id, vault: "kv-absent" } as never,
        variables: { s: { isSecret: true } },
        variableGroupProjectReferences: [
          { projectReference: { id: projectId, name: "shop" }, name: "shop-other" },
        ],
      }),
    );
    expect(noVault.statusCode).toBe(400);
    const found = await ta.getVariableGroups("shop", "shop-*");
    expect(found.map((g) => g.name).sort()).toEqual(["shop-ci-secrets", "shop-staging"]);
    const updated = await ta.updateVariableGroup(
      { ...plainParams(projectId), variables: { resourceGroup: { value: "rg-2" } } },
      plain.id as number,
    );
    expect(updated.variables?.resourceGroup?.value).toBe("rg-2");
    expect(await ta.getVariableGroup("shop", 999)).toBeNull();
    const dup = await rejection(ta.addVariableGroup(plainParams(projectId)));
    expect(dup.statusCode).toBe(409);
  });

  it("keeps secret variable values out of the traffic log", async () => {
    const ta = await api.getTaskAgentApi();
    await ta.addVariableGroup({
      name: "shop-secret-vars",
      type: "Vsts",
      variables: { apiKey: { value: "s3cret-variable-value", isSecret: true } },
      variableGroupProjectReferences: [
        { projectReference: { id: projectId, name: "shop" }, name: "shop-secret-vars" },
      ],
    });
    expect(JSON.stringify(sandbox.state())).not.toContain("s3cret-variable-value");
    expect(readFileSync(sandbox.trafficLogPath, "utf8")).not.toContain("s3cret-variable-value");
  });

  it("creates YAML build definitions and pipelines, queues a build, and authorizes pipelines on resources", async () => {
    const build = await api.getBuildApi();
    const def = await build.createDefinition(
      {
        name: "shop-pr",
        path: "\\",
        process: { type: 2, yamlFilename: "/.azure-pipelines/pr.yml" } as never,
        repository: { id: repoId, type: "TfsGit", name: "shop", defaultBranch: "refs/heads/main" },
        queue: { name: "Azure Pipelines" } as never,
      },
      "shop",
    );
    expect(def.id).toBeGreaterThan(0);
    expect((await build.getDefinition("shop", def.id as number)).process).toMatchObject({
      yamlFilename: "/.azure-pipelines/pr.yml",
    });
    expect((await build.getDefinitions("shop", "shop-pr")).map((d) => d.id)).toEqual([def.id]);
    const again = await rejection(
      build.createDefinition(
        {
          name: "shop-pr",
          path: "\\",
          process: { type: 2, yamlFilename: "/x.yml" } as never,
          repository: { id: repoId, type: "TfsGit" },
        },
        "shop",
      ),
    );
    expect(again.statusCode).toBe(409);
    const queued = await build.queueBuild({ definition: { id: def.id as number } }, "shop");
    expect(queued.id).toBeGreaterThan(0);
    // The build is picked up and completes after a (scaled) realistic time
    const done = await waitFor("build completion", async () => {
      const b = await build.getBuild("shop", queued.id as number);
      return b.status === 2 /* BuildStatus.Completed */ ? b : undefined;
    });
    expect(done.result).toBe(2); // BuildResult.Succeeded

    const pipelines = await api.getPipelinesApi();
    const ci = await pipelines.createPipeline(
      {
        name: "shop-ci",
        folder: "\\",
        configuration: {
          type: 1,
          path: "/.azure-pipelines/pr.yml",
          repository: { id: repoId, type: 2 },
        } as never,
      },
      "shop",
    );
    expect(ci.id).toBeGreaterThan(def.id as number);
    expect((await pipelines.getPipeline("shop", ci.id as number)).configuration).toMatchObject({
      path: "/.azure-pipelines/pr.yml",
    });
    const listed = await pipelines.listPipelines("shop");
    expect(listed.map((p) => p.name).sort()).toEqual(["shop-ci", "shop-pr"]);
    const missingFile = await raw(sandbox, "POST", "shop/_apis/pipelines?api-version=7.1", {
      body: {
        name: "shop-cd",
        configuration: {
          type: "yaml",
          path: "/absent.yml",
          repository: { id: repoId, type: "azureReposGit" },
        },
      },
    });
    expect(missingFile.status).toBe(400);

    // Pipeline permissions: authorize exactly one pipeline on the environment
    const [env] = await (await api.getTaskAgentApi()).getEnvironments("shop", "shop-production");
    const before = await raw(
      sandbox,
      "GET",
      `shop/_apis/pipelines/pipelinePermissions/environment/${env?.id}?api-version=7.1-preview.1`,
    );
    expect(before.json()).toMatchObject({
      resource: { type: "environment", id: String(env?.id) },
      pipelines: [],
    });
    const patched = await raw(
      sandbox,
      "PATCH",
      `shop/_apis/pipelines/pipelinePermissions/environment/${env?.id}?api-version=7.1-preview.1`,
      { body: { pipelines: [{ id: def.id, authorized: true }] } },
    );
    expect(patched.status).toBe(200);
    const after = (
      await raw(
        sandbox,
        "GET",
        `shop/_apis/pipelines/pipelinePermissions/environment/${env?.id}?api-version=7.1-preview.1`,
      )
    ).json<{ allPipelines?: unknown; pipelines: { id: number; authorized: boolean }[] }>();
    expect(after.pipelines.map((p) => [p.id, p.authorized])).toEqual([[def.id, true]]);
    expect(after.allPipelines).toBeUndefined();
    const unknownPipeline = await raw(
      sandbox,
      "PATCH",
      `shop/_apis/pipelines/pipelinePermissions/environment/${env?.id}?api-version=7.1-preview.1`,
      { body: { pipelines: [{ id: 999, authorized: true }] } },
    );
    expect(unknownPipeline.status).toBe(404);
  });

  it("protects a branch with blocking policies: direct pushes are refused, branches and PRs still work", async () => {
    const policy = await api.getPolicyApi();
    const types = await policy.getPolicyTypes("shop");
    expect(types.map((t) => t.id)).toEqual(expect.arrayContaining([BUILD_POLICY, MIN_REVIEWERS]));
    const [def] = await (await api.getBuildApi()).getDefinitions("shop", "shop-pr");
    const scope = [{ repositoryId: repoId, refName: "refs/heads/main", matchKind: "exact" }];
    const buildPolicy = await policy.createPolicyConfiguration(
      {
        isEnabled: true,
        isBlocking: true,
        type: { id: BUILD_POLICY },
        settings: {
          buildDefinitionId: def?.id,
          queueOnSourceUpdateOnly: true,
          manualQueueOnly: false,
          displayName: "PR build",
          validDuration: 720,
          scope,
        },
      } as never,
      "shop",
    );
    const reviewers = await policy.createPolicyConfiguration(
      {
        isEnabled: true,
        isBlocking: true,
        type: { id: MIN_REVIEWERS },
        settings: { minimumApproverCount: 1, creatorVoteCounts: false, scope },
      } as never,
      "shop",
    );
    expect((await policy.getPolicyConfigurations("shop")).map((p) => p.id)).toEqual([
      buildPolicy.id,
      reviewers.id,
    ]);
    const git = await api.getGitApi();
    const change = {
      comment: "direct",
      changes: [
        {
          changeType: VersionControlChangeType.Add,
          item: { path: "/direct.txt" },
          newContent: { content: "x", contentType: ItemContentType.RawText },
        },
      ],
    };
    // When pushing straight to main, Then TF402455
    const refused = await rejection(
      git.createPush(
        { refUpdates: [{ name: "refs/heads/main", oldObjectId: mainTip }], commits: [change] },
        repoId,
        "shop",
      ),
    );
    expect(refused.message).toBe(
      "TF402455: Pushes to this branch are not permitted; you must use a pull request to update this branch.",
    );
    // But a new branch from main is accepted, and a PR can target main
    await git.createPush(
      { refUpdates: [{ name: "refs/heads/update", oldObjectId: mainTip }], commits: [change] },
      repoId,
      "shop",
    );
    const pr = await git.createPullRequest(
      { sourceRefName: "refs/heads/update", targetRefName: "refs/heads/main", title: "update" },
      repoId,
      "shop",
    );
    expect(pr.status).toBe(1); // PullRequestStatus.Active after the client's enum mapping
    // And disabling the policies re-opens direct pushes
    await policy.updatePolicyConfiguration(
      { ...reviewers, isEnabled: false } as never,
      "shop",
      reviewers.id as number,
    );
    await policy.updatePolicyConfiguration(
      {
        isEnabled: false,
        isBlocking: true,
        type: { id: BUILD_POLICY },
        settings: buildPolicy.settings,
      } as never,
      "shop",
      buildPolicy.id as number,
    );
    const ok = await git.createPush(
      { refUpdates: [{ name: "refs/heads/main", oldObjectId: mainTip }], commits: [change] },
      repoId,
      "shop",
    );
    expect(ok.pushId).toBeGreaterThan(0);
    // And a policy with a bad scope is refused
    const bad = await rejection(
      policy.createPolicyConfiguration(
        {
          isEnabled: true,
          isBlocking: true,
          type: { id: MIN_REVIEWERS },
          settings: { minimumApproverCount: 1, scope: [{ repositoryId: repoId, refName: "main" }] },
        } as never,
        "shop",
      ),
    );
    expect(bad.statusCode).toBe(400);
  });

  it("authenticates as the service: PAT works, a wrong token is 401, no credentials is a 203 sign-in page", async () => {
    const viaPat = await patApi(sandbox).connect();
    expect(viaPat.authenticatedUser?.id).toBeDefined();
    const wrongPat = await rejection(
      patApi(sandbox, "not-the-pat")
        .getCoreApi()
        .then((core) => core.getProjects()),
    );
    expect(wrongPat.statusCode).toBe(401);
    const armToken = await sandbox.target().credential.getToken("https://management.azure.com/.default");
    const wrongAudience = await raw(sandbox, "GET", "_apis/projects?api-version=7.1", {
      authorization: `Bearer ${armToken?.token}`,
    });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers["www-authenticate"]).toContain("Bearer");
    const anonymous = await raw(sandbox, "GET", "_apis/projects?api-version=7.1", { authorization: null });
    expect(anonymous.status).toBe(203);
    expect(anonymous.headers["content-type"]).toContain("text/html");
  });

  it("negotiates api-version as the service does", async () => {
    expect((await raw(sandbox, "GET", "_apis/projects?api-version=9.0")).json()).toMatchObject({
      typeKey: "VssVersionOutOfRangeException",
    });
    expect((await raw(sandbox, "GET", "_apis/projects?api-version=7.2")).json()).toMatchObject({
      typeKey: "VssInvalidPreviewVersionException",
    });
    expect((await raw(sandbox, "POST", "_apis/projects", { body: {} })).json()).toMatchObject({
      typeKey: "VssVersionNotSpecifiedException",
    });
    expect(
      (await raw(sandbox, "GET", "_apis/projects", { accept: "application/json;api-version=7.1" })).status,
    ).toBe(200);
  });
});

function plainParams(projectId: string) {
  return {
    name: "shop-staging",
    type: "Vsts",
    variables: { resourceGroup: { value: "rg-shop-staging" } },
    variableGroupProjectReferences: [
      { projectReference: { id: projectId, name: "shop" }, name: "shop-staging" },
    ],
  };
}
