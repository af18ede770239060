import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebApi } from "azure-devops-node-api";
import { VersionControlChangeType, ItemContentType } from "azure-devops-node-api/interfaces/GitInterfaces.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox, rejection } from "./helpers.js";
import { bearerApi, raw, waitFor } from "./devops-helpers.js";

const ZERO = "0000000000000000000000000000000000000000";
const AGILE = "adcc42ab-9882-485e-a3ed-7678f01f66bc";

describe("sandbox Azure DevOps: projects and Git through azure-devops-node-api", () => {
  let sandbox: Sandbox;
  let api: WebApi;
  beforeAll(async () => {
    sandbox = await fastSandbox();
    api = await bearerApi(sandbox);
  });
  afterAll(() => sandbox?.close());

  it("creates a project as a queued operation and polls it to success", async () => {
    const core = await api.getCoreApi();
    // Given no project, When one is queued
    const op = await core.queueCreateProject({
      name: "demo",
      description: "sandbox",
      visibility: 0,
      capabilities: {
        versioncontrol: { sourceControlType: "Git" },
        processTemplate: { templateTypeId: AGILE },
      },
    } as never);
    expect(op.status).toBeDefined();
    expect(op.url).toContain(`/_apis/operations/${op.id}`);
    // Then polling the operation reaches succeeded, and the project is wellFormed with its default repo
    const status = await waitFor("project create", async () => {
      const r = await raw(sandbox, "GET", `_apis/operations/${op.id}?api-version=7.1`);
      const s = r.json<{ status: string }>().status;
      return s === "succeeded" ? s : undefined;
    });
    expect(status).toBe("succeeded");
    const project = await core.getProject("demo");
    expect(project.name).toBe("demo");
    expect(project.visibility).toBe(0); // ProjectVisibility.Private, from the node API's number
    const git = await api.getGitApi();
    const repos = await git.getRepositories("demo");
    expect(repos.map((r) => r.name)).toEqual(["demo"]);
    // And a duplicate is refused with the service's conflict
    const dup = await rejection(
      core.queueCreateProject({
        name: "DEMO",
        capabilities: {
          versioncontrol: { sourceControlType: "Git" },
          processTemplate: { templateTypeId: AGILE },
        },
      } as never),
    );
    expect(dup.statusCode).toBe(409);
  });

  it("returns null for an absent project and repository (404)", async () => {
    const core = await api.getCoreApi();
    expect(await core.getProject("absent")).toBeNull();
    const git = await api.getGitApi();
    expect(await git.getRepository("absent", "demo")).toBeNull();
    const r = await raw(sandbox, "GET", "absent/_apis/git/repositories?api-version=7.1");
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({
      typeKey: "ProjectDoesNotExistWithNameException",
      errorCode: 0,
      eventId: 3000,
    });
  });

  it("pushes an initial commit, edits it, and rejects a stale push", async () => {
    const git = await api.getGitApi();
    const repo = await git.createRepository({ name: "app" }, "demo");
    expect(repo.id).toMatch(/^[0-9a-f-]{36}$/);
    // Given an empty repository, When the first commit is pushed with oldObjectId 000...
    const first = await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: ZERO }],
        commits: [
          {
            comment: "Initial commit",
            changes: [
              {
                changeType: VersionControlChangeType.Add,
                item: { path: "/README.md" },
                newContent: { content: "# app\n", contentType: ItemContentType.RawText },
              },
            ],
          },
        ],
      },
      repo.id as string,
      "demo",
    );
    const tip = first.refUpdates?.[0]?.newObjectId as string;
    expect(tip).toMatch(/^[0-9a-f]{40}$/);
    // Then the file reads back with content, and refs list the branch
    const item = await git.getItem(
      repo.id as string,
      "/README.md",
      "demo",
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      true,
    );
    expect(item.content).toBe("# app\n");
    const refs = await git.getRefs(repo.id as string, "demo", "heads/main");
    expect(refs.map((r) => [r.name, r.objectId])).toEqual([["refs/heads/main", tip]]);
    expect((await git.getRepository(repo.id as string, "demo")).defaultBranch).toBe("refs/heads/main");
    // When an edit is pushed on top
    const second = await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/main", oldObjectId: tip }],
        commits: [
          {
            comment: "Add pipeline",
            changes: [
              {
                changeType: VersionControlChangeType.Edit,
                item: { path: "/README.md" },
                newContent: {
                  content: Buffer.from("# app v2\n").toString("base64"),
                  contentType: ItemContentType.Base64Encoded,
                },
              },
              {
                changeType: VersionControlChangeType.Add,
                item: { path: "/.azure-pipelines/ci.yml" },
                newContent: { content: "trigger: none\n", contentType: ItemContentType.RawText },
              },
            ],
          },
        ],
      },
      repo.id as string,
      "demo",
    );
    const tip2 = second.refUpdates?.[0]?.newObjectId as string;
    const commit = await git.getCommit(tip2, repo.id as string, "demo");
    expect(commit.parents).toEqual([tip]);
    const items = await git.getItems(repo.id as string, "demo", "/", 120 as never);
    expect(items.map((i) => i.path)).toEqual(
      expect.arrayContaining(["/", "/.azure-pipelines", "/.azure-pipelines/ci.yml", "/README.md"]),
    );
    // And a push based on the old tip is rejected as stale (TF401028)
    const stale = await rejection(
      git.createPush(
        {
          refUpdates: [{ name: "refs/heads/main", oldObjectId: tip }],
          commits: [
            {
              comment: "late",
              changes: [{ changeType: VersionControlChangeType.Delete, item: { path: "/README.md" } }],
            },
          ],
        },
        repo.id as string,
        "demo",
      ),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.message).toContain("TF401028");
    // And a missing file is a 404 (null from the client)
    expect(await git.getItem(repo.id as string, "/absent.txt", "demo")).toBeNull();
  });

  it("creates a branch by push and opens a pull request", async () => {
    const git = await api.getGitApi();
    const repo = await git.getRepository("app", "demo");
    const [main] = await git.getRefs(repo.id as string, "demo", "heads/main");
    const push = await git.createPush(
      {
        refUpdates: [{ name: "refs/heads/feature", oldObjectId: main?.objectId as string }],
        commits: [
          {
            comment: "feature",
            changes: [
              {
                changeType: VersionControlChangeType.Add,
                item: { path: "/feature.txt" },
                newContent: { content: "x", contentType: ItemContentType.RawText },
              },
            ],
          },
        ],
      },
      repo.id as string,
      "demo",
    );
    expect(push.refUpdates?.[0]?.name).toBe("refs/heads/feature");
    const pr = await git.createPullRequest(
      { sourceRefName: "refs/heads/feature", targetRefName: "refs/heads/main", title: "Add feature" },
      repo.id as string,
      "demo",
    );
    expect(pr.pullRequestId).toBeGreaterThan(0);
    const got = await git.getPullRequest(repo.id as string, pr.pullRequestId as number, "demo");
    expect(got.title).toBe("Add feature");
    const active = await git.getPullRequests(
      repo.id as string,
      { status: 1, targetRefName: "refs/heads/main" } as never,
      "demo",
    );
    expect(active.map((p) => p.pullRequestId)).toEqual([pr.pullRequestId]);
  });
});
