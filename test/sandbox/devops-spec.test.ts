import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { checkExchange, loadOperations, SPECS_DIR } from "./devops-spec.js";

describe.skipIf(!existsSync(SPECS_DIR))("the Azure DevOps spec checker used by the conformance test", () => {
  // Loaded in beforeAll: a skipped describe still runs its body to collect the tests.
  let ops: ReturnType<typeof loadOperations> = [];
  beforeAll(() => {
    ops = loadOperations();
  });
  const repoPath = "/org/proj/_apis/git/repositories/r1";

  it("accepts a response that fits the spec", () => {
    expect(
      checkExchange(ops, "GET", repoPath, 200, undefined, {
        id: "r1",
        name: "app",
        size: 0,
        isDisabled: false,
      }),
    ).toEqual([]);
  });

  it("flags undeclared fields, wrong types and bad enums", () => {
    const problems =
      checkExchange(ops, "GET", repoPath, 200, undefined, { id: "r1", size: "big", madeUp: true }) ?? [];
    expect(problems.some((p) => p.includes(".madeUp: not declared"))).toBe(true);
    expect(problems.some((p) => p.includes(".size: expected an integer"))).toBe(true);
    const env =
      checkExchange(ops, "POST", "/org/proj/_apis/git/repositories/r1/pushes", 201, undefined, {
        commits: [{ changes: [{ changeType: "teleport" }] }],
      }) ?? [];
    expect(env.some((p) => p.includes("'teleport' is not one of"))).toBe(true);
  });

  it("reports routes no spec describes", () => {
    expect(checkExchange(ops, "GET", "/org/_apis/nothing/here", 200, undefined, {})).toBeUndefined();
  });
});
