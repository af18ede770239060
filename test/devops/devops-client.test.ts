import { afterEach, describe, expect, test } from "vitest";
import { createDevopsClients, DevopsHttpError, DEVOPS_SCOPE } from "../../src/clients/devops.js";
import { UserError } from "../../src/engine/errors.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { answersSchema } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import { planRun } from "../../src/engine/runner.js";
import type { EngineEvent } from "../../src/engine/types.js";
import type { StepDeps } from "../../steps/deps.js";
import { ids } from "../../steps/ids.js";
import { devopsSignInStep } from "../../steps/devops/preflight-auth.js";
import { projectStep } from "../../steps/devops/project.js";
import { countingCredential, FakeDevops, SIGN_IN_PAGE, targetFor } from "./fake-devops.js";

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

describe("Azure DevOps client", () => {
  let fake: FakeDevops;
  afterEach(async () => fake?.close());

  async function given(): Promise<FakeDevops> {
    fake = new FakeDevops();
    await fake.start();
    return fake;
  }

  test("rest() honours Retry-After on 429 and backs off on 503, then returns the answer", async () => {
    const f = await given();
    f.script(
      "GET /p/_apis/pipelines/checks/configurations",
      { status: 429, headers: { "retry-after": "0" } },
      { status: 503 },
      { status: 200, body: { count: 0, value: [] } },
    );
    const res = await createDevopsClients(targetFor(f)).rest(
      "GET",
      "p/_apis/pipelines/checks/configurations?api-version=7.2-preview.1",
    );
    expect(res).toEqual({ status: 200, body: { count: 0, value: [] } });
    expect(f.count("GET /p/_apis/pipelines/checks/configurations")).toBe(3);
  });

  test("rest() sends the Entra token for the Azure DevOps scope and adds an api-version", async () => {
    const f = await given();
    const credential = countingCredential(3600_000);
    await createDevopsClients(targetFor(f, { credential })).rest("GET", "_apis/connectionData");
    expect(credential.calls).toEqual([DEVOPS_SCOPE]);
    expect(f.seen[0]?.authorization).toBe("Bearer token-1");
  });

  test("an Entra token near expiry is refreshed; a fresh one is reused", async () => {
    const f = await given();
    const shortLived = countingCredential(60_000); // inside the refresh margin
    const c1 = createDevopsClients(targetFor(f, { credential: shortLived }));
    await c1.rest("GET", "_apis/connectionData");
    await c1.rest("GET", "_apis/connectionData");
    expect(shortLived.calls.length).toBe(2);
    const longLived = countingCredential(3600_000);
    const c2 = createDevopsClients(targetFor(f, { credential: longLived }));
    await c2.rest("GET", "_apis/connectionData");
    await c2.rest("GET", "_apis/connectionData");
    expect(longLived.calls.length).toBe(1);
  });

  test("a 401 for the Entra token says which credential failed and how to fix it", async () => {
    const f = await given();
    f.script("GET /_apis/connectionData", { status: 401, body: { message: "TF400813" } });
    const err = await caught(createDevopsClients(targetFor(f)).api());
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(
      /refused the credential \(HTTP 401\).*Entra token.*DefaultAzureCredential/,
    );
    expect((err as UserError).hint).toMatch(/az login/);
    expect((err as UserError).hint).toMatch(/AZURE_DEVOPS_EXT_PAT/);
  });

  test("a 401 for a PAT names AZURE_DEVOPS_EXT_PAT and never shows the token", async () => {
    const f = await given();
    f.script("GET /_apis/connectionData", { status: 401 });
    const pat = "very-secret-pat-value";
    const err = await caught(
      createDevopsClients(targetFor(f, { devopsAuth: { kind: "pat", token: pat } })).api(),
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/personal access token from AZURE_DEVOPS_EXT_PAT/);
    expect(`${(err as UserError).message} ${(err as UserError).hint}`).not.toContain(pat);
    expect(f.seen[0]?.authorization).toBe(`Basic ${Buffer.from(`PAT:${pat}`).toString("base64")}`);
  });

  test("a 203 HTML sign-in page is an error, not an empty answer", async () => {
    const f = await given();
    f.script("GET /_apis/connectionData", { status: 203, body: SIGN_IN_PAGE });
    const err = await caught(createDevopsClients(targetFor(f)).rest("GET", "_apis/connectionData"));
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/sign-in page instead of data \(HTTP 203\)/);
  });

  test("node API calls back off on 429 (the library does not) and return the result", async () => {
    const f = await given();
    f.script(
      "GET /_apis/projects/demo",
      { status: 429, headers: { "retry-after": "0" }, body: { message: "slow down" } },
      { status: 200, body: { id: "p1", name: "demo" } },
    );
    const core = await (await createDevopsClients(targetFor(f)).api()).getCoreApi();
    const project = await core.getProject("demo");
    expect(project).toMatchObject({ id: "p1", name: "demo" });
    expect(f.count("GET /_apis/projects/demo")).toBe(2);
  });

  test("node API calls: a 203 sign-in page and a 401 become UserErrors; a 404 read stays null", async () => {
    const f = await given();
    const core = await (await createDevopsClients(targetFor(f)).api()).getCoreApi();
    expect(await core.getProject("missing")).toBeNull();
    f.script("GET /_apis/projects/demo", { status: 203, body: SIGN_IN_PAGE });
    expect(await caught(core.getProject("demo"))).toBeInstanceOf(UserError);
    f.script("GET /_apis/projects/demo", { status: 401, body: { message: "TF400813" } });
    const err = await caught(core.getProject("demo"));
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/HTTP 401/);
  });

  test("node API writes answered 404 keep the service's reason", async () => {
    const f = await given();
    f.script("POST /_apis/projects", {
      status: 404,
      body: { message: "TF400883: no such thing", typeKey: "NotFoundException" },
    });
    const core = await (await createDevopsClients(targetFor(f)).api()).getCoreApi();
    const err = await caught(core.queueCreateProject({ name: "x" }));
    expect(err).toBeInstanceOf(DevopsHttpError);
    expect((err as DevopsHttpError).message).toMatch(/TF400883: no such thing/);
    expect((err as DevopsHttpError).typeKey).toBe("NotFoundException");
  });
});

describe("Azure DevOps client against the sandbox", () => {
  test("a wrong PAT is refused with a UserError naming AZURE_DEVOPS_EXT_PAT", async () => {
    const sandbox = await startSandbox({ speed: 2000 });
    try {
      const target = sandbox.target({ devopsAuth: { kind: "pat", token: "not-the-sandbox-pat" } });
      const err = await caught(createDevopsClients(target).api());
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toMatch(/AZURE_DEVOPS_EXT_PAT/);
      // And the right one works.
      const ok = createDevopsClients(sandbox.target({ devopsAuth: { kind: "pat", token: sandbox.pat } }));
      const core = await (await ok.api()).getCoreApi();
      expect(await core.getProjects()).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});

describe("Azure DevOps sign-in preflight against the sandbox", () => {
  test("a refused credential fails the sign-in step once, and no Azure DevOps object is attempted", async () => {
    const sandbox = await startSandbox({ speed: 2000 });
    try {
      const target = sandbox.target({ devopsAuth: { kind: "pat", token: "not-the-sandbox-pat" } });
      const answers = answersSchema.parse({
        app: "demo",
        azure: {
          tenantId: sandbox.tenantId,
          subscriptionId: sandbox.subscriptionId,
          location: sandbox.location,
        },
        devops: { organizationUrl: sandbox.organizationUrl, project: "demo", repository: "demo" },
      });
      const deps = {
        answers,
        names: deriveNames(answers),
        target,
        devops: createDevopsClients(target),
      } as StepDeps;
      const steps = [devopsSignInStep(deps), projectStep(deps, { afterSignIn: true })];
      const events: EngineEvent[] = [];
      const result = await planRun(steps, { onEvent: (e) => events.push(e) });
      expect(result.failed).toEqual([ids.preflight.devopsAuth]);
      expect(result.skipped).toEqual([ids.devops.project]);
      const failure = events.find((e) => e.type === "step-status" && e.status === "failed");
      expect(failure?.type === "step-status" && failure.error?.message).toMatch(/AZURE_DEVOPS_EXT_PAT/);
    } finally {
      await sandbox.close();
    }
  });
});
