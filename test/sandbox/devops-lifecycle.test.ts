import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebApi } from "azure-devops-node-api";
import { ItemContentType, VersionControlChangeType } from "azure-devops-node-api/interfaces/GitInterfaces.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox } from "./helpers.js";
import { bearerApi, raw, waitFor } from "./devops-helpers.js";

const ZERO = "0000000000000000000000000000000000000000";
const AGILE = "adcc42ab-9882-485e-a3ed-7678f01f66bc";

async function createProject(sandbox: Sandbox, api: WebApi, name: string): Promise<string> {
  const core = await api.getCoreApi();
  const op = await core.queueCreateProject({
    name,
    capabilities: {
      versioncontrol: { sourceControlType: "Git" },
      processTemplate: { templateTypeId: AGILE },
    },
  } as never);
  await waitFor(`project ${name}`, async () =>
    (await raw(sandbox, "GET", `_apis/operations/${op.id}?api-version=7.1`)).json<{ status: string }>()
      .status === "succeeded"
      ? true
      : undefined,
  );
  return (await core.getProject(name)).id as string;
}

describe("sandbox Azure DevOps: updates, deletes and restarts", () => {
  const dir = mkdtempSync(join(tmpdir(), "devops-lifecycle-"));
  let sandbox: Sandbox;
  let api: WebApi;
  beforeAll(async () => {
    sandbox = await fastSandbox({ dir });
    api = await bearerApi(sandbox);
  });
  afterAll(() => sandbox?.close());

  it("updates refs: creates, rejects a stale update, deletes", async () => {
    await createProject(sandbox, api, "life");
    const git = await api.getGitApi();
    const repo = await git.getRepository("life", "life");
    const push = await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: ZERO }],
        commits: [
          {
            comment: "c",
            changes: [
              {
                changeType: VersionControlChangeType.Add,
                item: { path: "/a.txt" },
                newContent: { content: "a", contentType: ItemContentType.RawText },
              },
            ],
          },
        ],
      },
      repo.id as string,
      "life",
    );
    const tip = push.refUpdates?.[0]?.newObjectId as string;
    const [created] = await git.updateRefs(
      [{ name: "refs/heads/topic", oldObjectId: ZERO, newObjectId: tip }],
      repo.id as string,
      "life",
    );
    expect(created).toMatchObject({ success: true, name: "refs/heads/topic" });
    const [stale] = await git.updateRefs(
      [{ name: "refs/heads/topic", oldObjectId: ZERO, newObjectId: tip }],
      repo.id as string,
      "life",
    );
    expect(stale?.success).toBe(false);
    const [deleted] = await git.updateRefs(
      [{ name: "refs/heads/topic", oldObjectId: tip, newObjectId: ZERO }],
      repo.id as string,
      "life",
    );
    expect(deleted?.success).toBe(true);
    expect((await git.getRefs(repo.id as string, "life", "heads/")).map((r) => r.name)).toEqual([
      "refs/heads/main",
    ]);
  });

  it("renames an environment and deletes a build definition", async () => {
    const ta = await api.getTaskAgentApi();
    const env = await ta.addEnvironment({ name: "life-stg" }, "life");
    const renamed = await ta.updateEnvironment(
      { name: "life-staging", description: "d" },
      "life",
      env.id as number,
    );
    expect(renamed.name).toBe("life-staging");
    const repo = await (await api.getGitApi()).getRepository("life", "life");
    const build = await api.getBuildApi();
    const def = await build.createDefinition(
      {
        name: "life-ci",
        process: { type: 2, yamlFilename: "/a.txt" } as never,
        repository: { id: repo.id, type: "TfsGit" },
      },
      "life",
    );
    await build.deleteDefinition("life", def.id as number);
    expect(await build.getDefinition("life", def.id as number)).toBeNull();
  });

  it("keeps its state across a restart", async () => {
    // Given objects created before a restart on the same state folder
    const before = await (await api.getGitApi()).getRepository("life", "life");
    await sandbox.close();
    sandbox = await fastSandbox({ dir });
    api = await bearerApi(sandbox);
    // Then they are all still there
    const git = await api.getGitApi();
    const after = await git.getRepository("life", "life");
    expect(after.id).toBe(before.id);
    expect(
      (
        await git.getItem(
          after.id as string,
          "/a.txt",
          "life",
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          true,
        )
      ).content,
    ).toBe("a");
    expect((await (await api.getTaskAgentApi()).getEnvironments("life")).map((e) => e.name)).toEqual([
      "life-staging",
    ]);
  });

  it("finds signed-in users through the identity service, and nobody else", async () => {
    // Given the PAT owner has signed in once
    const me = (await raw(sandbox, "GET", "_apis/connectionData?api-version=7.1-preview.1")).json<{
      authenticatedUser: { id: string; properties: { Account: { $value: string } } };
    }>().authenticatedUser;
    const mail = me.properties.Account.$value;
    // When searching identities by that mail, Then it is found; an unknown mail finds nothing
    const found = (
      await raw(
        sandbox,
        "GET",
        `_apis/identities?searchFilter=General&filterValue=${encodeURIComponent(mail.toUpperCase())}&queryMembership=None&api-version=7.1`,
      )
    ).json<{ value: { id: string }[] }>();
    expect(found.value.map((i) => i.id)).toEqual([me.id]);
    const none = (
      await raw(
        sandbox,
        "GET",
        "_apis/identities?searchFilter=General&filterValue=nobody%40example.com&queryMembership=None&api-version=7.1",
      )
    ).json<{ count: number }>();
    expect(none.count).toBe(0);
  });

  it("deletes a project through a queued operation", async () => {
    const core = await api.getCoreApi();
    const id = (await core.getProject("life")).id as string;
    const op = await core.queueDeleteProject(id);
    await waitFor("project delete", async () =>
      (await raw(sandbox, "GET", `_apis/operations/${op.id}?api-version=7.1`)).json<{ status: string }>()
        .status === "succeeded"
        ? true
        : undefined,
    );
    expect(await core.getProject("life")).toBeNull();
    const repos = await raw(sandbox, "GET", "life/_apis/git/repositories?api-version=7.1");
    expect(repos.status).toBe(404);
  });
});
