import { describe, expect, it } from "vitest";
import { redactDevopsBody } from "../../src/sandbox/devops/index.js";

describe("redactDevopsBody", () => {
  it("redacts secret variables and secret authorization parameters, nothing else", () => {
    const body = {
      name: "g",
      variables: { plain: { value: "visible" }, key: { value: "hidden-1", isSecret: true } },
      authorization: { scheme: "UsernamePassword", parameters: { username: "u", password: "hidden-2" } },
    };
    const out = JSON.stringify(redactDevopsBody(body));
    expect(out).toContain("visible");
    expect(out).toContain('"username":"u"');
    expect(out).not.toContain("hidden-1");
    expect(out).not.toContain("hidden-2");
  });
});
