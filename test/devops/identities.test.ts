import { afterEach, describe, expect, test } from "vitest";
import { createDevopsClients } from "../../src/clients/devops.js";
import { UserError } from "../../src/engine/errors.js";
import type { StepDeps } from "../../steps/deps.js";
import { findIdentity, identityServiceUrl, signedInUser } from "../../steps/devops/identities.js";
import { closestName, resolveApprovers, unknownApproversError } from "../../steps/devops/approvers.js";
import { FakeDevops, targetFor } from "./fake-devops.js";
import { applyRun } from "../../src/engine/runner.js";
import type { EngineEvent } from "../../src/engine/types.js";
import { ids } from "../../steps/ids.js";
import type { ObservedApprovalCheck } from "../../steps/devops/approval-check.js";
import { startDevopsBed, type DevopsBed } from "./harness.js";

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
    expect(await findIdentity(deps.devops, "ann@contoso.com")).toEqual({ id: "ann-id", displayName: "Ann" });
  });

  test("an unknown approver is a UserError that says how to fix the answers", async () => {
    const { fake, deps } = await depsWithFake();
    fake.script("GET /_apis/identities", { status: 200, body: { count: 0, value: [] } });
    const err = await resolveApprovers(deps.devops, "devops.productionApprovers", [
      "nobody@contoso.com",
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain("devops.productionApprovers[0] = nobody@contoso.com");
    expect((err as UserError).field).toBe("devops.productionApprovers[0]");
    expect((err as UserError).hint).toMatch(/productionApprovers/);
  });

  test("with no approvers in the answers the signed-in user approves", async () => {
    const { deps } = await depsWithFake();
    expect(await signedInUser(deps)).toEqual({ id: "u1", displayName: "User" });
  });
});

describe("approvers against the sandbox", () => {
  let bed: DevopsBed | undefined;
  afterEach(async () => bed?.close());

  test("production approvers named in the answers are resolved to their identities; an unknown one stops the check", async () => {
    // Given a sandbox where the PAT's user has signed in once (so the organization knows them)
    bed = await startDevopsBed();
    const devops = bed.deps.devops;
    const asPatUser = createDevopsClients(
      bed.sandbox.target({ devopsAuth: { kind: "pat", token: bed.sandbox.pat } }),
    );
    const me = await signedInUser({ devops: asPatUser } as StepDeps);
    const withApprovers = (emails: string[]) => ({
      ...bed!.deps.answers,
      devops: { ...bed!.deps.answers.devops, productionApprovers: emails },
    });

    // When the answers name that user (in another case) as the production approver
    const ok = await applyRun(bed.steps({ answers: withApprovers(["SANDBOX.USER@example.com"]) }));
    expect(ok.failed).toEqual([]);
    const check = ok.observed.get(ids.devops.approvalCheck) as ObservedApprovalCheck;
    expect(check.approverIds).toEqual([me.id]);

    // And when they name someone the organization does not know
    const events: EngineEvent[] = [];
    const bad = await applyRun(bed.steps({ answers: withApprovers(["nobody@example.com"]) }), {
      onEvent: (e) => events.push(e),
    });
    expect(bad.failed).toEqual([ids.devops.approvalCheck]);
    const failure = events.find((e) => e.type === "step-status" && e.status === "failed");
    expect(failure?.type === "step-status" && failure.error?.hint).toMatch(/productionApprovers/);
    // The check keeps its approver: nothing was changed on the failed resolution.
    const res = await devops.rest<{ value: { settings: { approvers: { id: string }[] } }[] }>(
      "GET",
      `${(ok.observed.get(ids.devops.project) as { id: string }).id}/_apis/pipelines/checks/configurations?resourceType=environment&resourceId=${(ok.observed.get(ids.devops.environment("prod")) as { id: number }).id}&$expand=settings&api-version=7.2-preview.1`,
    );
    expect(res.body.value[0]?.settings.approvers.map((a) => a.id)).toEqual([me.id]);
  });
});

describe("did you mean, for approvers", () => {
  const known = ["alex@contoso.com", "lee@contoso.com", "[shop]\\Release Managers"];
  test("suggests a typo's user or group, not someone else of the same domain", () => {
    expect(closestName("alx@contoso.com", known)).toBe("alex@contoso.com");
    expect(closestName("Lee@contoso.co", known)).toBe("lee@contoso.com");
    expect(closestName("[shop]\\release manager", known)).toBe("[shop]\\Release Managers");
    expect(closestName("zed@contoso.com", known)).toBeUndefined();
    expect(closestName("bob@fabrikam.com", known)).toBeUndefined();
  });
});

describe("approvers of a project the run creates", () => {
  test("an unknown group of that project says which of its groups can be named before it exists", () => {
    const err = unknownApproversError("devops.productionApprovers", [{ name: "[shop]\\Release Managers" }], {
      projectToCreate: "shop",
    });
    expect(err?.field).toBe("devops.productionApprovers[0]");
    expect(err?.hint).toContain("Project shop is created by this run");
    expect(err?.hint).toContain("Contributors");
    expect(
      unknownApproversError("devops.productionApprovers", [{ name: "[shop]\\Contributors", pending: true }]),
    ).toBeUndefined();
  });
});
