import { describe, expect, it } from "vitest";
import type { GitPush } from "azure-devops-node-api/interfaces/GitInterfaces.js";
import type { StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import type { ObservedRepository } from "../observed.js";
import { templateInput } from "../../test/repo/fixtures.js";
import { filesStep } from "./files-step.js";

/**
 * Failure paths the sandbox cannot stage on demand: a push racing another client (TF401028)
 * and a push refused by a policy the policy API did not show (TF402455).
 */
interface FakeRepo {
  refs: Record<string, string>;
  pushes: GitPush[];
  pullRequests: { sourceRefName: string; targetRefName: string }[];
  /** Called before each push is accepted; may throw to reject it. */
  onPush?: (push: GitPush, n: number) => void;
}

function fakeDeps(repo: FakeRepo): StepDeps {
  const { answers, names } = templateInput();
  const git = {
    getRefs: async (_r: string, _p: string, filter: string) =>
      Object.entries(repo.refs)
        .filter(([name]) => name.startsWith(`refs/${filter}`))
        .map(([name, objectId]) => ({ name, objectId })),
    getItem: async () => null,
    getItems: async () => [],
    getPullRequests: async () => [],
    createPush: async (push: GitPush) => {
      repo.onPush?.(push, repo.pushes.length);
      repo.pushes.push(push);
      const commitId = `c${repo.pushes.length + 100}`;
      repo.refs[push.refUpdates![0]!.name!] = commitId;
      return { ...push, refUpdates: [{ ...push.refUpdates![0], newObjectId: commitId }] };
    },
    createPullRequest: async (pr: { sourceRefName: string; targetRefName: string }) => {
      repo.pullRequests.push(pr);
      return { ...pr, pullRequestId: 7 };
    },
  };
  const api = {
    getGitApi: async () => git,
    getPolicyApi: async () => ({ getPolicyConfigurations: async () => [] }),
  };
  return {
    answers,
    names,
    devops: {
      organizationUrl: "https://dev.azure.com/contoso",
      api: async () => api,
      rest: async () => ({ status: 200, body: {} }),
    },
    options: { replaceEditedFiles: false },
  } as unknown as StepDeps;
}

function context(logs: string[], defaultBranch = "main"): StepContext {
  const repository: ObservedRepository = { id: "repo-1", name: "demo", defaultBranch, empty: false };
  return {
    signal: new AbortController().signal,
    planning: false,
    log: (m) => logs.push(m),
    progress: () => {},
    observed: <T>(id: string) => (id === ids.devops.repository ? (repository as T) : undefined),
  };
}

describe("files step failure paths", () => {
  it("re-reads the branch and retries once when another client moved it (TF401028)", async () => {
    // Given main at c1, and another client pushing c2 just before our first push lands
    const repo: FakeRepo = { refs: { "refs/heads/main": "c1" }, pushes: [], pullRequests: [] };
    let raced = false;
    repo.onPush = (push) => {
      if (!raced) {
        raced = true;
        repo.refs["refs/heads/main"] = "c2";
        throw new Error(
          "TF401028: The reference 'refs/heads/main' has already been updated by another client.",
        );
      }
      if (push.refUpdates![0]!.oldObjectId !== repo.refs["refs/heads/main"])
        throw new Error("TF401028: stale");
    };
    const step = filesStep(fakeDeps(repo));
    const logs: string[] = [];
    const ctx = context(logs);
    // When applying
    const observed = await step.detect(ctx);
    await step.apply(step.diff(observed, ctx), observed, ctx);
    // Then the second push is based on the new head and carries the files
    expect(repo.pushes).toHaveLength(1);
    expect(repo.pushes[0]!.refUpdates).toEqual([{ name: "refs/heads/main", oldObjectId: "c2" }]);
    expect(repo.pushes[0]!.commits![0]!.changes!.length).toBeGreaterThan(5);
    expect(logs.join("\n")).toMatch(/moved while pushing/);
  });

  it("gives up with a clear error when the branch keeps moving", async () => {
    const repo: FakeRepo = { refs: { "refs/heads/main": "c1" }, pushes: [], pullRequests: [] };
    repo.onPush = () => {
      repo.refs["refs/heads/main"] += "x";
      throw new Error("TF401028: stale");
    };
    const step = filesStep(fakeDeps(repo));
    const ctx = context([]);
    const observed = await step.detect(ctx);
    await expect(step.apply(step.diff(observed, ctx), observed, ctx)).rejects.toThrow(/keeps moving/);
  });

  it("falls back to a branch and a pull request when the push is refused by policy (TF402455)", async () => {
    // Given main refuses direct pushes although no policy was visible
    const repo: FakeRepo = { refs: { "refs/heads/main": "c1" }, pushes: [], pullRequests: [] };
    repo.onPush = (push) => {
      if (push.refUpdates![0]!.name === "refs/heads/main")
        throw new Error(
          "TF402455: Pushes to this branch are not permitted; you must use a pull request to update this branch.",
        );
    };
    const step = filesStep(fakeDeps(repo));
    const logs: string[] = [];
    const ctx = context(logs);
    const observed = await step.detect(ctx);
    await step.apply(step.diff(observed, ctx), observed, ctx);
    // Then the changes went to a new branch based on main's head, and a pull request targets main
    expect(repo.pushes).toHaveLength(1);
    const ref = repo.pushes[0]!.refUpdates![0]!;
    expect(ref.name).toMatch(/^refs\/heads\/aks-bootstrap\/update-[0-9a-f]{8}$/);
    expect(ref.oldObjectId).toBe("c1");
    expect(repo.pullRequests).toEqual([
      expect.objectContaining({ sourceRefName: ref.name, targetRefName: "refs/heads/main" }),
    ]);
    expect(repo.refs["refs/heads/main"]).toBe("c1");
    expect(logs.join("\n")).toMatch(/opened pull request #7/);
  });

  it("triggers the pipelines on the repository's real default branch when it differs from the answers", async () => {
    // Given a repository whose history is on trunk (the answers say main)
    const repo: FakeRepo = { refs: { "refs/heads/trunk": "c1" }, pushes: [], pullRequests: [] };
    const step = filesStep(fakeDeps(repo));
    const ctx = context([], "trunk");
    // When applying
    const observed = await step.detect(ctx);
    await step.apply(step.diff(observed, ctx), observed, ctx);
    // Then the push went to trunk and CI and CD trigger on trunk
    expect(repo.pushes[0]!.refUpdates![0]!.name).toBe("refs/heads/trunk");
    const content = (path: string) =>
      repo.pushes[0]!.commits![0]!.changes!.find((c) => c.item?.path === path)?.newContent?.content ?? "";
    expect(content("/.azure-pipelines/ci.yml")).toMatch(/include:\n\s+- trunk\n/);
    expect(content("/.azure-pipelines/cd.yml")).toMatch(/include:\n\s+- trunk\n/);
  });
});
