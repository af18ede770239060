import { ClientSecretCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/clients/azure.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox, rawRequest, rejection, traffic } from "./helpers.js";

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

describe("sandbox Entra endpoint and ARM authentication", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await fastSandbox({ faults: undefined });
  });
  afterAll(() => sandbox?.close());

  it("issues tokens through ClientSecretCredential carrying the requested audience, tenant and caller", async () => {
    const cred = sandbox.target().credential;
    const arm = await cred.getToken("https://management.azure.com/.default");
    const devops = await cred.getToken("499b84ac-1321-427f-aa17-267ca6975798/.default");
    expect(claims(arm!.token)).toMatchObject({
      aud: "https://management.azure.com/",
      tid: sandbox.tenantId,
      oid: sandbox.callerObjectId,
    });
    expect(claims(devops!.token)["aud"]).toBe("499b84ac-1321-427f-aa17-267ca6975798");
    // The token request's secret and the issued token never reach the traffic log
    const login = traffic(sandbox).filter((e) => e.service === "login" && e.method === "POST");
    expect(login.length).toBeGreaterThan(0);
    expect(JSON.stringify(login)).not.toContain(arm!.token);
    expect(String(login[0]?.requestBody)).toContain("client_secret=%5BREDACTED%5D");
  });

  it("refuses an application it does not know with AADSTS700016", async () => {
    const bad = new ClientSecretCredential(
      sandbox.tenantId,
      "00000000-0000-0000-0000-000000000000",
      "wrong",
      {
        authorityHost: sandbox.endpoints.login,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: sandbox.caPem },
      },
    );
    const err = await rejection(bad.getToken("https://management.azure.com/.default"));
    expect(err.message).toMatch(/AADSTS700016/);
  });

  it("answers ARM calls without or with a wrong-audience token as ARM does", async () => {
    const url = `${sandbox.endpoints.arm}/subscriptions/${sandbox.subscriptionId}/resourcegroups?api-version=2025-04-01`;
    const { request } = await import("node:https");
    const anonymous = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { ca: sandbox.caPem }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ error: { code: "AuthenticationFailed" } });
    const wrongAudience = await rawRequest(
      sandbox,
      "GET",
      url,
      undefined,
      "https://vault.azure.net/.default",
    );
    expect(wrongAudience.status).toBe(401);
    expect((wrongAudience.body as { error: { code: string } }).error.code).toBe(
      "InvalidAuthenticationTokenAudience",
    );
    const noVersion = await rawRequest(sandbox, "GET", url.replace("?api-version=2025-04-01", ""));
    expect((noVersion.body as { error: { code: string } }).error.code).toBe("MissingApiVersionParameter");
    const otherSub = await rawRequest(
      sandbox,
      "GET",
      url.replace(sandbox.subscriptionId, "11111111-1111-1111-1111-111111111111"),
    );
    expect(otherSub.status).toBe(404);
    expect((otherSub.body as { error: { code: string } }).error.code).toBe("SubscriptionNotFound");
  });

  it("matches paths case-insensitively with double slashes collapsed", async () => {
    const az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate("Rg-Case", { location: "westeurope" });
    const res = await rawRequest(
      sandbox,
      "GET",
      `${sandbox.endpoints.arm}//SUBSCRIPTIONS/${sandbox.subscriptionId}//resourceGroups/rg-case?api-version=2025-04-01`,
    );
    expect(res.status).toBe(200);
    expect((res.body as { name: string }).name).toBe("Rg-Case");
  });

  it("refuses writes to an unregistered provider until it is registered again", async () => {
    const az = createAzureClients(sandbox.target());
    await az.resources.resourceGroups.createOrUpdate("rg-prov", { location: "westeurope" });
    await az.resources.providers.unregister("Microsoft.ManagedIdentity");
    const refused = await rejection(
      az.msi.userAssignedIdentities.createOrUpdate("rg-prov", "id-prov", { location: "westeurope" }),
    );
    expect(refused.code).toBe("MissingSubscriptionRegistration");
    const registering = await az.resources.providers.register("Microsoft.ManagedIdentity");
    expect(registering.registrationState).toBe("Registering");
    expect((await az.resources.providers.get("Microsoft.ManagedIdentity")).registrationState).toBe(
      "Registering",
    );
    expect((await az.resources.providers.get("Microsoft.ManagedIdentity")).registrationState).toBe(
      "Registered",
    );
    expect(
      (await az.msi.userAssignedIdentities.createOrUpdate("rg-prov", "id-prov", { location: "westeurope" }))
        .name,
    ).toBe("id-prov");
  });

  it("lists the subscription and tenant through SubscriptionClient", async () => {
    const az = createAzureClients(sandbox.target());
    const subs = [];
    for await (const s of az.subscriptions.subscriptions.list()) subs.push(s.subscriptionId);
    expect(subs).toEqual([sandbox.subscriptionId]);
    const tenants = [];
    for await (const t of az.subscriptions.tenants.list()) tenants.push(t.tenantId);
    expect(tenants).toEqual([sandbox.tenantId]);
  });
});
