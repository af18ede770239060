import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/index.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import { checkApprovers } from "../../steps/devops/approvers.js";
import { fastSandbox } from "./helpers.js";
import { bearerApi, raw, waitFor } from "./devops-helpers.js";

const AGILE = "adcc42ab-9882-485e-a3ed-7678f01f66bc";

interface Identity {
  id: string;
  providerDisplayName: string;
  isContainer?: boolean;
  properties: Record<string, { $type: string; $value: string }>;
}

/**
 * The shapes follow learn.microsoft.com's "Identities - Read Identities" (IMS) and "Users /
 * Groups - List" (Graph) pages: the oracles hold no IMS or Graph spec to validate against.
 */
describe("sandbox Azure DevOps: the organization's users and groups", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await fastSandbox();
    // Given a project (groups come with it, as Azure DevOps creates them)
    const core = await (await bearerApi(sandbox)).getCoreApi();
    const op = await core.queueCreateProject({
      name: "shop",
      visibility: 0,
      capabilities: {
        versioncontrol: { sourceControlType: "Git" },
        processTemplate: { templateTypeId: AGILE },
      },
    } as never);
    await waitFor("project create", async () => {
      const r = await raw(sandbox, "GET", `_apis/operations/${op.id}?api-version=7.1`);
      return r.json<{ status: string }>().status === "succeeded" ? true : undefined;
    });
  });
  afterAll(() => sandbox?.close());

  const search = async (value: string, filter = "General") => {
    const q = new URLSearchParams({ searchFilter: filter, filterValue: value, queryMembership: "None" });
    const r = await raw(sandbox, "GET", `_apis/identities?${q}&api-version=7.1`);
    expect(r.status).toBe(200);
    return r.json<{ count: number; value: Identity[] }>();
  };

  it("finds a seeded user by mail, in any case, as a User identity", async () => {
    const found = await search("ALEX@sandbox.onmicrosoft.com");
    expect(found.count).toBe(1);
    const [alex] = found.value;
    expect(alex?.providerDisplayName).toBe("Alex Wilber");
    expect(alex?.properties.SchemaClassName?.$value).toBe("User");
    expect(alex?.properties.Mail?.$value).toBe("alex@sandbox.onmicrosoft.com");
    expect(alex?.properties.Account?.$value).toBe("alex@sandbox.onmicrosoft.com");
  });

  it("finds a project group by its account name [Project]\\Group, as a Group container; by id too", async () => {
    const found = await search("[shop]\\release managers");
    expect(found.count).toBe(1);
    const group = found.value[0]!;
    expect(group.isContainer).toBe(true);
    expect(group.providerDisplayName).toBe("[shop]\\Release Managers");
    expect(group.properties.SchemaClassName?.$value).toBe("Group");
    expect(group.properties.Account?.$value).toBe("[shop]\\Release Managers");
    expect(group.properties.Domain?.$value).toMatch(
      /^vstfs:\/\/\/Classification\/TeamProject\/[0-9a-f-]{36}$/,
    );
    const byId = await raw(sandbox, "GET", `_apis/identities?identityIds=${group.id}&api-version=7.1`);
    expect(byId.json<{ value: Identity[] }>().value.map((i) => i.providerDisplayName)).toEqual([
      "[shop]\\Release Managers",
    ]);
    // and the default groups, and the organization's
    expect((await search("[shop]\\Contributors")).count).toBe(1);
    expect((await search("[sandbox-org]\\Project Collection Administrators")).count).toBe(1);
    // a group of a project that does not exist is not found
    expect((await search("[nope]\\Release Managers")).count).toBe(0);
  });

  it("knows no one by an unknown name", async () => {
    expect(await search("nobody@sandbox.onmicrosoft.com")).toEqual({ count: 0, value: [] });
  });

  it("lists users and groups through the Graph API", async () => {
    const users = await raw(sandbox, "GET", "_apis/graph/users?api-version=7.1-preview.1");
    const userNames = users.json<{ value: { subjectKind: string; principalName: string }[] }>().value;
    expect(userNames.map((u) => u.principalName)).toEqual(
      expect.arrayContaining([
        "alex@sandbox.onmicrosoft.com",
        "megan@sandbox.onmicrosoft.com",
        "lee@sandbox.onmicrosoft.com",
      ]),
    );
    expect(new Set(userNames.map((u) => u.subjectKind))).toEqual(new Set(["user"]));
    const groups = await raw(sandbox, "GET", "_apis/graph/groups?api-version=7.1-preview.1");
    const groupNames = groups.json<{ value: { subjectKind: string; principalName: string }[] }>().value;
    expect(groupNames.map((g) => g.principalName)).toEqual(
      expect.arrayContaining(["[shop]\\Release Managers", "[sandbox-org]\\Project Collection Valid Users"]),
    );
  });

  it("the approvers check (wizard and plan) resolves users and groups and suggests a close name", async () => {
    const client = createDevopsClients(sandbox.target());
    const checks = await checkApprovers(client, [
      "megan@sandbox.onmicrosoft.com",
      "[shop]\\Release Managers",
      "le@sandbox.onmicrosoft.com",
      "[shop]\\Release Manager",
    ]);
    expect(checks.map((c) => [c.name, c.identity?.displayName, c.identity?.isGroup, c.suggestion])).toEqual([
      ["megan@sandbox.onmicrosoft.com", "Megan Bowen", undefined, undefined],
      ["[shop]\\Release Managers", "[shop]\\Release Managers", true, undefined],
      ["le@sandbox.onmicrosoft.com", undefined, undefined, "lee@sandbox.onmicrosoft.com"],
      ["[shop]\\Release Manager", undefined, undefined, "[shop]\\Release Managers"],
    ]);
    // a default group of a project still to be created counts as pending, not unknown
    const pending = await checkApprovers(client, ["[new]\\Contributors", "[new]\\Release Managers"], {
      projectToCreate: "new",
    });
    expect(pending.map((c) => [c.pending ?? false, c.identity])).toEqual([
      [true, undefined],
      [false, undefined],
    ]);
  });
});
