import { describe, expect, it } from "vitest";
import { olderThan } from "./aks.js";

describe("olderThan (pinned Kubernetes version)", () => {
  it.each([
    ["1.32.4", "1.33", true],
    ["1.33.1", "1.33", false],
    ["1.33.1", "1.33.2", true],
    ["1.34.0", "1.33", false],
    ["1.9.0", "1.10", true],
  ])("%s older than %s: %s", (current, pinned, expected) => {
    expect(olderThan(current, pinned)).toBe(expected);
  });
});
