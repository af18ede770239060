import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebApi } from "azure-devops-node-api";
import { ItemContentType, VersionControlChangeType } from "azure-devops-node-api/interfaces/GitInterfaces.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox, traffic } from "./helpers.js";
import { bearerApi, createVault, raw, waitFor } from "./devops-helpers.js";
import { checkExchange, loadOperations, SPECS_DIR } from "./devops-spec.js";

const haveSpecs = existsSync(SPECS_DIR);
const ZERO = "0000000000000000000000000000000000000000";

/** Requests of location discovery, which the published specs do not describe. */
const DISCOVERY = /\/_apis\/(resourceareas|connectiondata)(\/|$)/i;

describe.skipIf(!haveSpecs)("sandbox Azure DevOps traffic conforms to Microsoft's REST specs", () => {
  let sandbox: Sandbox;
  let api: WebApi;
  beforeAll(async () => {
    sandbox = await fastSandbox();
    api = await bearerApi(sandbox);
    await createVault(sandbox, "kv-conf");
  });
  afterAll(() => sandbox?.close());

  it("every request and response of a full run matches its spec operation", async () => {
    // Given a run that touches every emulated resource
    const core = await api.getCoreApi();
    const op = await core.queueCreateProject({
      name: "conf",
      capabilities: {
        versioncontrol: { sourceControlType: "Git" },
        processTemplate: { templateTypeId: "6b724908-ef14-45cf-84f8-768b5384da45" },
      },
    } as never);
    await waitFor("project", async () =>
      (await raw(sandbox, "GET", `_apis/operations/${op.id}?api-version=7.1`)).json<{ status: string }>()
        .status === "succeeded"
        ? true
        : undefined,
    );
    const project = await core.getProject("conf", true);
    await core.getProjects();
    await core.getProcesses();
    const git = await api.getGitApi();
    const repo = await git.createRepository({ name: "conf-app" }, "conf");
    const rid = repo.id as string;
    const push = await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: ZERO }],
        commits: [
          {
            comment: "init",
            changes: [
              {
                changeType: VersionControlChangeType.Add,
                item: { path: "/ci.yml" },
                newContent: {
                  content: "trigger: none\nsteps:\n  - script: echo hello\n",
                  contentType: ItemContentType.RawText,
                },
              },
            ],
          },
        ],
      },
      rid,
      "conf",
    );
    const tip = push.refUpdates?.[0]?.newObjectId as string;
    await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/dev", oldObjectId: tip }],
        commits: [
          {
            comment: "dev",
            changes: [
              {
                changeType: VersionControlChangeType.Edit,
                item: { path: "/ci.yml" },
                newContent: { content: "trigger: [dev]\n", contentType: ItemContentType.RawText },
              },
            ],
          },
        ],
      },
      rid,
      "conf",
    );
    await git.getRepositories("conf");
    await git.getItem(
      rid,
      "/ci.yml",
      "conf",
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      true,
    );
    await git.getItems(rid, "conf", "/", 120 as never);
    await git.getRefs(rid, "conf", "heads/");
    await git.getCommit(tip, rid, "conf");
    await git.getPushes(rid, "conf");
    await git.createPullRequest(
      { sourceRefName: "refs/heads/dev", targetRefName: "refs/heads/main", title: "dev" },
      rid,
      "conf",
    );
    await git.getPullRequests(rid, { status: 1 } as never, "conf");
    const se = await api.getServiceEndpointApi();
    const sc = await se.createServiceEndpoint({
      name: "sc-conf",
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
        subscriptionName: "s",
        environment: "AzureCloud",
        scopeLevel: "Subscription",
        creationMode: "Manual",
      },
      serviceEndpointProjectReferences: [
        { projectReference: { id: project.id, name: "conf" }, name: "sc-conf" },
      ],
    });
    await se.getServiceEndpointsByNames("conf", ["sc-conf"]);
    await se.getServiceEndpointDetails("conf", sc.id as string);
    const ta = await api.getTaskAgentApi();
    const env = await ta.addEnvironment({ name: "conf-prod" }, "conf");
    await ta.getEnvironments("conf");
    await raw(sandbox, "POST", "conf/_apis/pipelines/checks/configurations?api-version=7.2-preview.1", {
      body: {
        type: { id: "8c6f20a7-a545-4486-9777-f762fafe0d4d", name: "Approval" },
        settings: {
          approvers: [{ id: project.id }],
          executionOrder: "anyOrder",
          minRequiredApprovers: 1,
          instructions: "",
          blockedApprovers: [],
        },
        timeout: 43200,
        resource: { type: "environment", id: String(env.id) },
      },
    });
    await raw(
      sandbox,
      "GET",
      `conf/_apis/pipelines/checks/configurations?resourceType=environment&resourceId=${env.id}&api-version=7.2-preview.1`,
    );
    const group = await ta.addVariableGroup({
      name: "conf-vars",
      type: "Vsts",
      variables: { a: { value: "1" } },
      variableGroupProjectReferences: [
        { projectReference: { id: project.id, name: "conf" }, name: "conf-vars" },
      ],
    });
    await ta.addVariableGroup({
      name: "conf-kv",
      type: "AzureKeyVault",
      providerData: { serviceEndpointId: sc.id, vault: "kv-conf" } as never,
      variables: { s: { isSecret: true, enabled: true } as never },
      variableGroupProjectReferences: [
        { projectReference: { id: project.id, name: "conf" }, name: "conf-kv" },
      ],
    });
    await ta.getVariableGroups("conf");
    const build = await api.getBuildApi();
    const def = await build.createDefinition(
      {
        name: "conf-ci",
        path: "\\",
        process: { type: 2, yamlFilename: "/ci.yml" } as never,
        repository: { id: rid, type: "TfsGit" },
        // The node API sends DefinitionTriggerType as a number; the service answers its name.
        triggers: [{ triggerType: 2, settingsSourceType: 2, branchFilters: [], pathFilters: [] } as never],
      },
      "conf",
    );
    await build.getDefinition("conf", def.id as number);
    await build.getDefinitions("conf");
    await build.queueBuild({ definition: { id: def.id as number } }, "conf");
    const pipelines = await api.getPipelinesApi();
    await pipelines.listPipelines("conf");
    await pipelines.getPipeline("conf", def.id as number);
    await raw(
      sandbox,
      "PATCH",
      `conf/_apis/pipelines/pipelinePermissions/variablegroup/${group.id}?api-version=7.1-preview.1`,
      { body: { pipelines: [{ id: def.id, authorized: true }] } },
    );
    await raw(
      sandbox,
      "GET",
      `conf/_apis/pipelines/pipelinePermissions/endpoint/${sc.id}?api-version=7.1-preview.1`,
    );
    const batch = await raw(
      sandbox,
      "PATCH",
      "conf/_apis/pipelines/pipelinePermissions?api-version=7.1-preview.1",
      {
        body: [
          { resource: { type: "endpoint", id: sc.id }, pipelines: [{ id: def.id, authorized: true }] },
          {
            resource: { type: "environment", id: String(env.id) },
            pipelines: [{ id: def.id, authorized: true }],
          },
        ],
      },
    );
    expect(batch.json<{ count: number }>().count).toBe(2);
    const policy = await api.getPolicyApi();
    await policy.getPolicyTypes("conf");
    await policy.createPolicyConfiguration(
      {
        isEnabled: true,
        isBlocking: true,
        type: { id: "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd" },
        settings: {
          minimumApproverCount: 1,
          scope: [{ repositoryId: rid, refName: "refs/heads/main", matchKind: "exact" }],
        },
      } as never,
      "conf",
    );
    await policy.getPolicyConfigurations("conf");

    // When the traffic log is checked against the specs
    const ops = loadOperations();
    const problems: string[] = [];
    const uncovered: string[] = [];
    let checked = 0;
    for (const e of traffic(sandbox)) {
      if (e.service !== "devops" || e.method === "OPTIONS" || e.status === 401 || e.status === 203) continue;
      const path = new URL(e.url).pathname;
      if (DISCOVERY.test(path)) continue;
      const result = checkExchange(ops, e.method, path, e.status, e.requestBody, e.responseBody);
      if (result === undefined) uncovered.push(`${e.method} ${path}`);
      else {
        checked++;
        problems.push(...result);
      }
    }
    // Then every exchange maps to a spec operation and fits its schemas
    expect(uncovered).toEqual([]);
    expect(checked).toBeGreaterThan(30);
    expect([...new Set(problems)]).toEqual([]);
  });

  it("rejects malformed requests with the service's error", async () => {
    // A service connection without project references (required by the service)
    const noRefs = await raw(sandbox, "POST", "_apis/serviceendpoint/endpoints?api-version=7.1", {
      body: {
        name: "x",
        type: "azurerm",
        url: "https://management.azure.com/",
        authorization: {
          scheme: "WorkloadIdentityFederation",
          parameters: { tenantid: sandbox.tenantId, serviceprincipalid: "1" },
        },
        data: { subscriptionId: sandbox.subscriptionId, subscriptionName: "s" },
      },
    });
    expect(noRefs.status).toBe(400);
    expect(noRefs.json()).toMatchObject({ typeKey: "ArgumentNullException", errorCode: 0, eventId: 3000 });
    expect(noRefs.json<{ message: string }>().message).toContain("ServiceEndpointProjectReferences");
    // A project without capabilities, and one with an invalid name
    const noCaps = await raw(sandbox, "POST", "_apis/projects?api-version=7.1", { body: { name: "p2" } });
    expect(noCaps.status).toBe(400);
    const badName = await raw(sandbox, "POST", "_apis/projects?api-version=7.1", {
      body: {
        name: "_bad",
        capabilities: {
          versioncontrol: { sourceControlType: "Git" },
          processTemplate: { templateTypeId: "adcc42ab-9882-485e-a3ed-7678f01f66bc" },
        },
      },
    });
    expect(badName.json()).toMatchObject({ typeKey: "ProjectNameNotValidException" });
    // A repository name the service refuses
    const badRepo = await raw(sandbox, "POST", "conf/_apis/git/repositories?api-version=7.1", {
      body: { name: "a/b" },
    });
    expect(badRepo.status).toBe(400);
    // A push without ref updates
    const repo = (await raw(sandbox, "GET", "conf/_apis/git/repositories/conf-app?api-version=7.1")).json<{
      id: string;
    }>();
    const noRef = await raw(
      sandbox,
      "POST",
      `conf/_apis/git/repositories/${repo.id}/pushes?api-version=7.1`,
      { body: { commits: [] } },
    );
    expect(noRef.status).toBe(400);
  });
});
