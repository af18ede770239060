import { describe, expect, it } from "vitest";
import { describeDuration, parseDuration } from "./duration.js";

describe("--timeout durations", () => {
  it.each([
    ["90s", 90_000],
    ["10m", 600_000],
    ["1h30m", 5_400_000],
    ["2h", 7_200_000],
    ["45", 2_700_000],
    ["500ms", 500],
  ])("reads %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "ten minutes", "10 m", "-5m", "0s", "1d"])(
    "refuses %j naming the option and an example",
    (text) => {
      expect(() => parseDuration(text)).toThrow(/--timeout/);
    },
  );

  it("says a timeout back the way it was written", () => {
    expect(describeDuration(90_000)).toBe("1m30s");
    expect(describeDuration(3_600_000)).toBe("1h");
    expect(describeDuration(20_000)).toBe("20s");
  });
});
