import { describe, expect, it } from "vitest";
import { minorGap, nextMinorHop, olderThan } from "./aks.js";

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

describe("stepwise Kubernetes upgrades", () => {
  it("counts minor versions between two versions", () => {
    expect(minorGap("1.31.7", "1.33")).toBe(2);
    expect(minorGap("1.32.1", "1.33.2")).toBe(1);
    expect(minorGap("1.33.0", "1.33.4")).toBe(0);
  });

  it("picks the newest patch of the next minor, never a skip", () => {
    expect(nextMinorHop("1.31.7", ["1.32.1", "1.32.9", "1.33.2"])).toBe("1.32.9");
    expect(nextMinorHop("1.31.7", ["1.33.2"])).toBeUndefined();
  });
});
