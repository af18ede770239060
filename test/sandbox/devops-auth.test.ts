import { describe, expect, it } from "vitest";
import { createDevopsService, emptyDevopsState } from "../../src/sandbox/devops/index.js";
import type { SandboxCaller, SandboxRequest } from "../../src/sandbox/types.js";

const TENANT = "11111111-1111-4111-8111-111111111111";
const PAT = "p".repeat(52);

function service() {
  let persisted = 0;
  const svc = createDevopsService({
    organization: "org",
    baseUrl: "https://127.0.0.1:1",
    state: emptyDevopsState("org"),
    persist: () => persisted++,
    now: () => Date.parse("2026-01-01T00:00:00Z"),
    speed: 1,
    pat: PAT,
    tenantId: TENANT,
    armLookup: () => undefined,
  });
  return { svc, persisted: () => persisted };
}

function request(
  method: string,
  pathAndQuery: string,
  headers: Record<string, string> = {},
  caller?: SandboxCaller,
): SandboxRequest {
  const url = new URL(`https://127.0.0.1:1${pathAndQuery}`);
  return {
    service: "devops",
    method,
    url,
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: undefined,
    rawBody: Buffer.alloc(0),
    ...(caller ? { caller } : {}),
  };
}

const caller = (over: Partial<SandboxCaller> = {}): SandboxCaller => ({
  objectId: "22222222-2222-4222-8222-222222222222",
  tenantId: TENANT,
  audience: "499b84ac-1321-427f-aa17-267ca6975798",
  appId: "33333333-3333-4333-8333-333333333333",
  name: "ci-bot",
  ...over,
});

describe("Azure DevOps authentication and api-version handling", () => {
  it("accepts an Entra token for Azure DevOps from the organization's tenant", async () => {
    const { svc } = service();
    const res = await svc.handle(
      request("GET", "/org/_apis/projects?api-version=7.1", { authorization: "Bearer t" }, caller()),
    );
    expect(res.status).toBe(200);
  });

  it("refuses a token for another audience or another tenant with 401 and a Bearer challenge", async () => {
    const { svc } = service();
    for (const c of [
      caller({ audience: "https://management.azure.com" }),
      caller({ tenantId: "44444444-4444-4444-8444-444444444444" }),
      undefined,
    ]) {
      const res = await svc.handle(
        request("GET", "/org/_apis/projects?api-version=7.1", { authorization: "Bearer t" }, c),
      );
      expect(res.status).toBe(401);
      expect(res.headers?.["www-authenticate"]).toContain(`login.microsoftonline.com/${TENANT}`);
    }
  });

  it("accepts the PAT with any user name, refuses another secret", async () => {
    const { svc } = service();
    const basic = (user: string, secret: string) =>
      `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
    expect(
      (
        await svc.handle(
          request("GET", "/org/_apis/projects?api-version=7.1", { authorization: basic("", PAT) }),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await svc.handle(
          request("GET", "/org/_apis/projects?api-version=7.1", { authorization: basic("anyone", PAT) }),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await svc.handle(
          request("GET", "/org/_apis/projects?api-version=7.1", { authorization: basic("", "nope") }),
        )
      ).status,
    ).toBe(401);
  });

  it("answers anonymous location discovery, and a sign-in page (203) for anything else", async () => {
    const { svc } = service();
    const options = await svc.handle(request("OPTIONS", "/org/_apis/git"));
    expect(options.status).toBe(200);
    const ids = (options.body as { value: { id: string }[] }).value.map((l) => l.id);
    expect(ids).toContain("ea98d07b-3c87-4971-8ede-a613694ffb55"); // pushes
    const page = await svc.handle(request("GET", "/org/_apis/projects?api-version=7.1"));
    expect(page.status).toBe(203);
    expect(String(page.body)).toContain("Sign In");
  });

  it("remembers who signed in, and persists only after changes", async () => {
    const { svc, persisted } = service();
    await svc.handle(
      request("GET", "/org/_apis/projects?api-version=7.1", { authorization: "Bearer t" }, caller()),
    );
    expect(persisted()).toBe(1);
    await svc.handle(
      request("GET", "/org/_apis/projects?api-version=7.1", { authorization: "Bearer t" }, caller()),
    );
    expect(persisted()).toBe(1);
  });
});
