import { afterEach, describe, expect, test } from "vitest";
import { createDevopsClients } from "../../src/clients/devops.js";
import { UserError } from "../../src/engine/errors.js";
import type { StepDeps } from "../../steps/deps.js";
import { identityServiceUrl, resolveIdentity, signedInUser } from "../../steps/devops/identities.js";
import { FakeDevops, targetFor } from "./fake-devops.js";

describe("approver identities", () => {
  let fake: FakeDevops | undefined;
  afterEach(async () => fake?.close());

  async function depsWithFake(): Promise<{ fake: FakeDevops; deps: StepDeps }> {
    fake = new FakeDevops();
    await fake.start();
    return { fake, deps: { devops: createDevopsClients(targetFor(fake)) } as StepDeps };
  }

  test("the identity service is on vssps for Azure DevOps Services, else the organization itself", () => {
    expect(identityServiceUrl("https://dev.azure.com/contoso")).toBe("https://vssps.dev.azure.com/contoso");
    expect(identityServiceUrl("https://contoso.visualstudio.com/")).toBe(
      "https://contoso.vssps.visualstudio.com",
    );
    expect(identityServiceUrl("https://127.0.0.1:4443/sandbox-org")).toBe(
      "https://127.0.0.1:4443/sandbox-org",
    );
  });

  test("an approver e-mail resolves to the identity whose mail or account matches", async () => {
    const { fake, deps } = await depsWithFake();
    fake.script("GET /_apis/identities", {
      status: 200,
      body: {
        count: 2,
        value: [
          {
            id: "other",
            providerDisplayName: "Annie",
            properties: { Mail: { $value: "annie@contoso.com" } },
          },
          {
            id: "ann-id",
            providerDisplayName: "Ann",
            properties: { Account: { $value: "Ann@Contoso.com" } },
          },
        ],
      },
    });
    expect(await resolveIdentity(deps, "ann@contoso.com")).toEqual({ id: "ann-id", displayName: "Ann" });
  });

  test("an unknown approver is a UserError that says how to fix the answers", async () => {
    const { fake, deps } = await depsWithFake();
    fake.script("GET /_apis/identities", { status: 200, body: { count: 0, value: [] } });
    const err = await resolveIdentity(deps, "nobody@contoso.com").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain("nobody@contoso.com");
    expect((err as UserError).hint).toMatch(/productionApprovers/);
  });

  test("with no approvers in the answers the signed-in user approves", async () => {
    const { deps } = await depsWithFake();
    expect(await signedInUser(deps)).toEqual({ id: "u1", displayName: "User" });
  });
});
