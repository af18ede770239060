import { describe, expect, it } from "vitest";
import { mergedTags, tagDiffs } from "./common.js";
import type { StepDeps } from "../deps.js";

const deps = { answers: { app: "demo" } } as unknown as StepDeps;

describe("tags", () => {
  it("reports only our tags, and merging keeps the user's", () => {
    const observed = { owner: "team-a", app: "other" };
    expect(tagDiffs(observed, deps)).toEqual([
      { field: "tags.managed-by", from: undefined, to: "aks-bootstrap" },
      { field: "tags.app", from: "other", to: "demo" },
    ]);
    expect(mergedTags(observed, deps)).toEqual({
      owner: "team-a",
      app: "demo",
      "managed-by": "aks-bootstrap",
    });
    expect(tagDiffs(mergedTags(observed, deps), deps)).toEqual([]);
  });
});
