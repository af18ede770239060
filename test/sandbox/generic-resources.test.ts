import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients, type AzureClients } from "../../src/clients/azure.js";
import { API_VERSIONS, apiVersionsFor } from "../../src/sandbox/arm/api-versions.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { loadSecrets } from "../../src/sandbox/persistence.js";
import { fastSandbox, rawRequest } from "./helpers.js";
import { armSpecRoot, checkAgainst, loadOperations, responseSchema } from "./openapi.js";

/**
 * ARM's generic resource list (`az resource list`, Get-AzResource, ResourceManagementClient
 * .resources.list()), api-version refusal, and the cloud metadata document, over HTTPS.
 */
const specRoot = armSpecRoot();
const managed = { "managed-by": "aks-bootstrap", app: "gen" };

interface Page {
  value: { id: string; name: string; type: string; tags?: Record<string, string>; createdTime?: string }[];
  nextLink?: string;
}

/** A GET without any Authorization header (the metadata endpoint is public in Azure). */
function anonymousGet(sandbox: Sandbox, url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request(url, { ca: sandbox.caPem }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }),
      );
    })
      .on("error", reject)
      .end();
  });
}

describe("GET /subscriptions/{id}/resources and .../resourceGroups/{rg}/resources", () => {
  let sandbox: Sandbox;
  let az: AzureClients;
  let base: string;
  let created: string[];
  const list = async (path: string) => {
    const r = await rawRequest(sandbox, "GET", `${base}${path}`);
    return { status: r.status, body: r.body as Page & { error?: { code: string; message: string } } };
  };

  beforeAll(async () => {
    // Given two groups with identities, a workspace and a registry, a federated credential
    // (a child resource) and a role assignment (an extension resource)
    sandbox = await fastSandbox();
    az = createAzureClients(sandbox.target());
    base = `${sandbox.endpoints.arm}/subscriptions/${sandbox.subscriptionId}`;
    for (const rg of ["rg-gen-a", "rg-gen-b"])
      await az.resources.resourceGroups.createOrUpdate(rg, { location: "westeurope", tags: managed });
    const ids = [];
    for (const [rg, name] of [
      ["rg-gen-a", "id-gen-ci"],
      ["rg-gen-a", "id-gen-staging"],
      ["rg-gen-b", "id-gen-prod"],
    ] as const) {
      ids.push(
        (
          await az.msi.userAssignedIdentities.createOrUpdate(rg, name, {
            location: "westeurope",
            tags: managed,
          })
        ).id!,
      );
    }
    await az.msi.federatedIdentityCredentials.createOrUpdate("rg-gen-a", "id-gen-ci", "fic-gen", {
      issuer: "https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000",
      subject: "sc://org/project/sc-gen-ci",
      audiences: ["api://AzureADTokenExchange"],
    });
    const ws = await az.logs.workspaces.beginCreateOrUpdateAndWait(
      "rg-gen-b",
      "log-gen-prod",
      { location: "westeurope", tags: { app: "gen", owner: "someone-else" } },
      az.lro,
    );
    const reg = await az.registry.registries.beginCreateAndWait(
      "rg-gen-a",
      "crgenlisting1",
      { location: "westeurope", sku: { name: "Basic" }, tags: managed },
      az.lro,
    );
    await az.authorization.roleAssignments.create(reg.id!, "7f1c3f5e-6a43-4c1f-9d59-0f1f1b8a1c11", {
      roleDefinitionId: `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
      principalId: sandbox.callerObjectId,
      principalType: "ServicePrincipal",
    });
    created = [...ids, ws.id!, reg.id!].map((id) => id.toLowerCase()).sort();
  }, 60_000);
  afterAll(() => sandbox?.close());

  it("lists every top-level resource of the subscription, and of one group, in the spec's shape", async () => {
    const all = await list("/resources?api-version=2025-04-01");
    expect(all.status).toBe(200);
    expect(all.body.value.map((r) => r.id.toLowerCase()).sort()).toEqual(created);
    expect(all.body.value.find((r) => r.name === "crgenlisting1")).toMatchObject({
      type: "Microsoft.ContainerRegistry/registries",
      location: "westeurope",
      tags: managed,
    });
    const inA = await list("/resourceGroups/RG-GEN-A/resources?api-version=2025-04-01");
    expect(inA.body.value.map((r) => r.name).sort()).toEqual([
      "crgenlisting1",
      "id-gen-ci",
      "id-gen-staging",
    ]);
    if (specRoot) {
      const op = loadOperations(specRoot).find((o) => o.op["operationId"] === "Resources_List");
      expect(op?.regex.test(`/subscriptions/${sandbox.subscriptionId}/resources`)).toBe(true);
      expect(checkAgainst(all.body, responseSchema(op!, 200)!, "", { requireRequired: false })).toEqual([]);
    }
    const missing = await list("/resourceGroups/rg-nope/resources?api-version=2025-04-01");
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe("ResourceGroupNotFound");
  });

  it("filters by resourceType, name substring, and tag (leaving the tags out, as ARM does)", async () => {
    const type = await list(
      `/resources?api-version=2025-04-01&$filter=${encodeURIComponent("resourceType eq 'Microsoft.ManagedIdentity/userAssignedIdentities'")}`,
    );
    expect(type.body.value.map((r) => r.name).sort()).toEqual(["id-gen-ci", "id-gen-prod", "id-gen-staging"]);
    const sub = await list(
      `/resources?api-version=2025-04-01&$filter=${encodeURIComponent("substringof('staging', name) or substringof('prod', name)")}`,
    );
    expect(sub.body.value.map((r) => r.name).sort()).toEqual([
      "id-gen-prod",
      "id-gen-staging",
      "log-gen-prod",
    ]);
    const tagged = await list(
      `/resources?api-version=2025-04-01&$filter=${encodeURIComponent("tagName eq 'managed-by' and tagValue eq 'aks-bootstrap'")}`,
    );
    expect(tagged.body.value.map((r) => r.name).sort()).toEqual([
      "crgenlisting1",
      "id-gen-ci",
      "id-gen-prod",
      "id-gen-staging",
    ]);
    expect(tagged.body.value.every((r) => r.tags === undefined)).toBe(true);
    const notAcr = await list(
      `/resources?api-version=2025-04-01&$filter=${encodeURIComponent("resourceType ne 'Microsoft.ContainerRegistry/registries'")}&$expand=createdTime,provisioningState`,
    );
    expect(notAcr.body.value).toHaveLength(created.length - 1);
    expect(notAcr.body.value.every((r) => typeof r.createdTime === "string")).toBe(true);
    const bad = await list(
      `/resources?api-version=2025-04-01&$filter=${encodeURIComponent("colour eq 'blue'")}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe("InvalidFilterInQueryString");
  });

  it("pages with $top through nextLink, and the JS SDK follows it to the end", async () => {
    const seen: string[] = [];
    let page = await list("/resources?api-version=2025-04-01&$top=2");
    let pages = 1;
    seen.push(...page.body.value.map((r) => r.id.toLowerCase()));
    while (page.body.nextLink) {
      expect(page.body.value).toHaveLength(2);
      const r = await rawRequest(sandbox, "GET", page.body.nextLink);
      page = { status: r.status, body: r.body as Page };
      seen.push(...page.body.value.map((x) => x.id.toLowerCase()));
      pages++;
    }
    expect(pages).toBe(Math.ceil(created.length / 2));
    expect(seen.sort()).toEqual(created);
    const viaSdk: string[] = [];
    for await (const r of az.resources.resources.list({ top: 1 })) viaSdk.push(r.id!.toLowerCase());
    expect(viaSdk.sort()).toEqual(created);
  });
});

describe("api-versions: what other clients send is accepted, an unknown one refused as ARM does", () => {
  let sandbox: Sandbox;
  let base: string;
  beforeAll(async () => {
    sandbox = await fastSandbox();
    base = `${sandbox.endpoints.arm}/subscriptions/${sandbox.subscriptionId}`;
  });
  afterAll(() => sandbox?.close());

  it("accepts the Python SDK's and az's versions", async () => {
    for (const path of [
      "/resourcegroups?api-version=2021-04-01",
      "/resources?api-version=2015-11-01",
      "/providers/Microsoft.ContainerRegistry/registries?api-version=2021-09-01",
      "/providers/Microsoft.ContainerRegistry/registries?api-version=2022-02-01-preview",
      "/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2018-11-30",
      "/providers/Microsoft.ContainerService/managedClusters?api-version=2022-11-01",
      "/providers/Microsoft.KeyVault/vaults?api-version=2022-07-01",
      "/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01",
    ]) {
      expect((await rawRequest(sandbox, "GET", `${base}${path}`)).status, path).toBe(200);
    }
  });

  it("lists each type's versions, newest first, in the provider registration", async () => {
    const r = await rawRequest(
      sandbox,
      "GET",
      `${base}/providers/Microsoft.ContainerRegistry?api-version=2025-04-01`,
    );
    const types = (r.body as { resourceTypes: { resourceType: string; apiVersions: string[] }[] })
      .resourceTypes;
    const registries = types.find((t) => t.resourceType === "registries")!.apiVersions;
    expect(registries).toContain("2021-09-01");
    expect(registries).toEqual([...registries].sort().reverse());
    const refused = await rawRequest(
      sandbox,
      "GET",
      `${base}/providers/Microsoft.ContainerRegistry/registries?api-version=2020-01-01`,
    );
    expect(refused.status).toBe(400);
    expect(registries).not.toContain("2020-01-01");
  });

  it("refuses an unknown Microsoft.Resources version with InvalidApiVersionParameter", async () => {
    const r = await rawRequest(sandbox, "GET", `${base}/resourcegroups?api-version=2099-01-01`);
    expect(r.status).toBe(400);
    const err = (r.body as { error: { code: string; message: string } }).error;
    expect(err.code).toBe("InvalidApiVersionParameter");
    expect(err.message).toMatch(
      /^The api-version '2099-01-01' is invalid\. The supported versions are '2025-04-01,[^']*2021-04-01,/,
    );
  });

  it("refuses an unknown resource-provider version with NoRegisteredProviderFound naming the supported ones", async () => {
    const r = await rawRequest(
      sandbox,
      "GET",
      `${base}/providers/Microsoft.ContainerService/managedClusters?api-version=2016-01-01`,
    );
    expect(r.status).toBe(400);
    const err = (r.body as { error: { code: string; message: string } }).error;
    expect(err.code).toBe("NoRegisteredProviderFound");
    expect(err.message).toMatch(
      /^No registered resource provider found for location 'westeurope' and API version '2016-01-01' for type 'managedClusters'\. The supported api-versions are '2017-08-31, 2018-03-31, .*'\. The supported locations are 'westeurope, /,
    );
    const garbage = await rawRequest(
      sandbox,
      "GET",
      `${base}/providers/Microsoft.KeyVault/vaults?api-version=latest`,
    );
    expect((garbage.body as { error: { code: string } }).error.code).toBe("InvalidApiVersionParameter");
  });

  it.skipIf(!specRoot)("accepts the api-version of every oracle spec for each type it defines", () => {
    const missing: string[] = [];
    for (const op of loadOperations(specRoot!)) {
      if (op.file.includes("data-plane")) continue;
      const m = /\/providers\/([^/{]+)\/([^/{]+)/i.exec(op.template);
      // Paths without a provider segment: Microsoft.Resources (by-id operations like
      // /{roleAssignmentId} are not typed by their path).
      if (!m && op.template.startsWith("/{")) continue;
      // Key Vault's spec also describes Vaults_List (the generic /resources list, at
      // Microsoft.Resources' own api-version 2015-11-01, not the Key Vault file's version).
      if (!m && !op.file.includes("Microsoft.Resources")) continue;
      // Only the types the sandbox serves (dataCollectionEndpoints, managedHSMs... are not).
      const accepted = m
        ? API_VERSIONS[`${m[1]}/${m[2]}`.toLowerCase()]
        : apiVersionsFor("Microsoft.Resources", undefined);
      if (accepted && !accepted.includes(op.apiVersion))
        missing.push(`${m ? `${m[1]}/${m[2]}` : "Microsoft.Resources"} ${op.apiVersion}`);
    }
    expect(missing.length + new Set(loadOperations(specRoot!).map((o) => o.apiVersion)).size).toBeGreaterThan(
      5,
    );
    expect([...new Set(missing)]).toEqual([]);
  });
});

describe("GET {arm}/metadata/endpoints", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await fastSandbox();
  });
  afterAll(() => sandbox?.close());

  it("answers without a token, in each api-version's shape, and refuses an unknown version", async () => {
    const url = (v: string) => `${sandbox.endpoints.arm}/metadata/endpoints?api-version=${v}`;
    const old = await anonymousGet(sandbox, url("2015-01-01"));
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({
      graphEndpoint: "https://graph.windows.net/",
      authentication: {
        loginEndpoint: `${sandbox.endpoints.login}/adfs`,
        audiences: ["https://management.core.windows.net/", "https://management.azure.com/"],
      },
    });
    const clouds = (await anonymousGet(sandbox, url("2019-05-01"))).body as { resourceManager: string }[];
    expect(clouds).toHaveLength(1);
    expect(clouds[0]!.resourceManager).toBe(`${sandbox.endpoints.arm}/`);
    const current = (await anonymousGet(sandbox, url("2022-09-01"))).body as Record<string, unknown>;
    expect(current).toMatchObject({
      name: "AzureSandbox",
      resourceManager: `${sandbox.endpoints.arm}/`,
      suffixes: { keyVaultDns: "vault.azure.net", acrLoginServer: "azurecr.io" },
    });
    const unknown = await anonymousGet(sandbox, url("2001-01-01"));
    expect(unknown.status).toBe(400);
    expect((unknown.body as { error: { code: string } }).error.code).toBe("InvalidApiVersionParameter");
  });

  it("names a login endpoint whose OpenID document leads to a token ARM accepts", async () => {
    const meta = (
      await anonymousGet(sandbox, `${sandbox.endpoints.arm}/metadata/endpoints?api-version=2015-01-01`)
    ).body as { authentication: { loginEndpoint: string } };
    const oidc = (
      await anonymousGet(sandbox, `${meta.authentication.loginEndpoint}/.well-known/openid-configuration`)
    ).body as { token_endpoint: string };
    const secret = loadSecrets(sandbox.dir)!.clientSecret;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: sandbox.clientId,
      client_secret: secret,
      scope: "https://management.core.windows.net//.default",
    }).toString();
    const token = await new Promise<{ access_token: string }>((resolve, reject) => {
      request(
        oidc.token_endpoint,
        {
          method: "POST",
          ca: sandbox.caPem,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve(JSON.parse(text) as { access_token: string }));
        },
      )
        .on("error", reject)
        .end(form);
    });
    const subs = await new Promise<number>((resolve, reject) => {
      request(
        `${sandbox.endpoints.arm}/subscriptions?api-version=2022-12-01`,
        { ca: sandbox.caPem, headers: { authorization: `Bearer ${token.access_token}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on("error", reject)
        .end();
    });
    expect(subs).toBe(200);
  });
});
