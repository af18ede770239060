import { describe, expect, it } from "vitest";
import { chooseOutput, colorEnabled } from "../../src/ui/reporter.js";

describe("chooseOutput", () => {
  it("uses the live view only on a terminal outside CI", () => {
    expect(chooseOutput("auto", true, {})).toBe("tty");
    expect(chooseOutput("auto", false, {})).toBe("plain");
    expect(chooseOutput("auto", true, { CI: "true" })).toBe("plain");
    expect(chooseOutput("auto", true, { CI: "1" })).toBe("plain");
    expect(chooseOutput("auto", true, { CI: "false" })).toBe("tty");
    expect(chooseOutput("auto", true, { TERM: "dumb" })).toBe("plain");
  });

  it("lets an explicit --output win", () => {
    expect(chooseOutput("json", true, {})).toBe("json");
    expect(chooseOutput("tty", false, { CI: "1" })).toBe("tty");
    expect(chooseOutput("plain", true, {})).toBe("plain");
  });
});

describe("colorEnabled", () => {
  it("is off with NO_COLOR or without a terminal", () => {
    expect(colorEnabled(true, {})).toBe(true);
    expect(colorEnabled(true, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: "" })).toBe(true);
    expect(colorEnabled(false, {})).toBe(false);
  });
});
