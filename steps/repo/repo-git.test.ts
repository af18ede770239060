import { describe, expect, it } from "vitest";
import type { IPolicyApi } from "azure-devops-node-api/PolicyApi.js";
import { branchIsProtected, gitErrorCode } from "./repo-git.js";

const at = { project: "P", repositoryId: "REPO-1", branch: "main" };

function policies(...configs: object[]): IPolicyApi {
  return { getPolicyConfigurations: async () => configs } as unknown as IPolicyApi;
}

const policy = (scope: object, extra: object = {}) => ({
  isEnabled: true,
  isBlocking: true,
  settings: { scope: [scope] },
  ...extra,
});

describe("branchIsProtected", () => {
  it.each([
    [
      "an exact scope on the branch",
      policy({ repositoryId: "repo-1", refName: "refs/heads/main", matchKind: "Exact" }),
      true,
    ],
    [
      "a prefix scope covering it",
      policy({ repositoryId: "repo-1", refName: "refs/heads/", matchKind: "Prefix" }),
      true,
    ],
    ["the default-branch scope", policy({ repositoryId: null, matchKind: "DefaultBranch" }), true],
    [
      "every repository of the project",
      policy({ repositoryId: null, refName: "refs/heads/main", matchKind: "Exact" }),
      true,
    ],
    [
      "another repository",
      policy({ repositoryId: "repo-2", refName: "refs/heads/main", matchKind: "Exact" }),
      false,
    ],
    [
      "another branch",
      policy({ repositoryId: "repo-1", refName: "refs/heads/release", matchKind: "Exact" }),
      false,
    ],
    [
      "a non-blocking policy",
      policy({ repositoryId: "repo-1", refName: "refs/heads/main" }, { isBlocking: false }),
      false,
    ],
    [
      "a disabled policy",
      policy({ repositoryId: "repo-1", refName: "refs/heads/main" }, { isEnabled: false }),
      false,
    ],
    [
      "a deleted policy",
      policy({ repositoryId: "repo-1", refName: "refs/heads/main" }, { isDeleted: true }),
      false,
    ],
  ])("%s -> %s", async (_what, config, expected) => {
    expect(await branchIsProtected(policies(config), at, "main")).toBe(expected);
  });
});

describe("gitErrorCode", () => {
  it("recognises a stale ref and a policy rejection by their TF codes", () => {
    expect(
      gitErrorCode(new Error("TF401028: The reference 'refs/heads/main' has already been updated")),
    ).toBe("stale-ref");
    expect(gitErrorCode(new Error("TF402455: Pushes to this branch are not permitted"))).toBe(
      "policy-rejected",
    );
    expect(gitErrorCode(new Error("TF401019: repository not found"))).toBeUndefined();
  });
});
