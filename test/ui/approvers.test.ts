import { screen } from "@inquirer/testing/vitest";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { answersSchema, type AnswersInput } from "../../src/answers/schema.js";
import { UserError, wrapError, toErrorInfo } from "../../src/engine/errors.js";
import { splitApprovers, unknownApproversMessage } from "../../src/ui/wizard/approvers.js";
import { askAnswerAgain } from "../../src/ui/wizard/reask.js";
import type { WizardLookups } from "../../src/ui/wizard/index.js";

const answers: AnswersInput = {
  app: "shop",
  azure: {
    tenantId: "11111111-1111-1111-1111-111111111111",
    subscriptionId: "22222222-2222-2222-2222-222222222222",
    location: "westeurope",
  },
  devops: {
    organizationUrl: "https://dev.azure.com/contoso",
    project: "shop",
    repository: "shop",
    productionApprovers: ["ann@contoso.com", "bob@contoso.com"],
  },
};

describe("approver answers", () => {
  it("split on commas, semicolons and spaces, but keep a group name with spaces whole", () => {
    expect(splitApprovers("a@x.com b@x.com; [shop]\\Release Managers,c@x.com")).toEqual([
      "a@x.com",
      "b@x.com",
      "[shop]\\Release Managers",
      "c@x.com",
    ]);
    expect(splitApprovers("  ")).toEqual([]);
  });

  it("the answers schema takes users and [Project]\\Group / [Org]\\Group, and refuses a bare name", () => {
    const withApprovers = (a: string[]) =>
      answersSchema.safeParse({ ...answers, devops: { ...answers.devops, productionApprovers: a } });
    expect(
      withApprovers([
        "ann@contoso.com",
        "[shop]\\Release Managers",
        "[contoso]\\Project Collection Administrators",
      ]).success,
    ).toBe(true);
    const bad = withApprovers(["Release Managers"]);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["devops", "productionApprovers", 0]);
    expect(bad.error?.issues[0]?.message).toContain("or a group as [Project]\\Group");
  });

  it("names each unknown entry with its did-you-mean", () => {
    expect(
      unknownApproversMessage([
        { name: "ann@contoso.com", known: true },
        { name: "bb@contoso.com", known: false, suggestion: "bob@contoso.com" },
        { name: "zed@contoso.com", known: false },
      ]),
    ).toBe(
      "bb@contoso.com (did you mean bob@contoso.com?), zed@contoso.com are not users or groups of this Azure DevOps organization",
    );
    expect(unknownApproversMessage([{ name: "ann@contoso.com", known: true }])).toBeUndefined();
  });

  it("a UserError keeps the answers field it names through wrapping, into the event's error", () => {
    const err = new UserError("no user", "fix it", { field: "devops.productionApprovers[1]" });
    const wrapped = wrapError("looking up the production approvers", err);
    expect(wrapped).toBeInstanceOf(UserError);
    expect(toErrorInfo(wrapped)).toEqual({
      message: "looking up the production approvers: no user",
      hint: "fix it",
      field: "devops.productionApprovers[1]",
    });
  });
});

describe("asking one answer again after a failed plan", () => {
  const lookups = {
    approvers: async (_org: string, names: readonly string[]) =>
      names.map((name) => ({ name, known: name !== "bb@contoso.com" })),
  } as unknown as WizardLookups;

  async function until(pattern: RegExp): Promise<string> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const text = screen.getScreen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`screen never matched ${String(pattern)}:\n${text}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it("an approver list is asked whole, checked as in the wizard, and replaced", async () => {
    const out = new PassThrough();
    let said = "";
    out.on("data", (c: Buffer) => (said += c.toString("utf8")));
    const next = askAnswerAgain({
      field: "devops.productionApprovers[1]",
      problem: "no Azure DevOps user or group matches ...",
      answers,
      organizationUrl: "https://dev.azure.com/contoso",
      lookups,
      context: { input: screen.input, output: out },
    });
    // The current list is the default
    expect(await until(/Production approvers/)).toContain("ann@contoso.com, bob@contoso.com");
    for (let i = 0; i < 40; i++) screen.keypress("backspace");
    screen.type("bb@contoso.com");
    screen.keypress("enter");
    expect(await until(/not a user or group/)).toContain("bb@contoso.com is not a user or group");
    for (let i = 0; i < 40; i++) screen.keypress("backspace");
    screen.type("ann@contoso.com");
    screen.keypress("enter");
    const result = await next;
    expect(result?.devops.productionApprovers).toEqual(["ann@contoso.com"]);
    expect(result?.devops.repository).toBe("shop");
    expect(said).toContain("The plan stopped on devops.productionApprovers[1] (see above)");
  });

  it("a plain answer is asked by its own rule; an unknown field is not asked", async () => {
    const out = new PassThrough();
    const next = askAnswerAgain({
      field: "devops.repository",
      problem: "the name is taken",
      answers,
      organizationUrl: "https://dev.azure.com/contoso",
      lookups,
      context: { input: screen.input, output: out },
    });
    await until(/devops\.repository/);
    for (let i = 0; i < 10; i++) screen.keypress("backspace");
    screen.type("shop|web");
    screen.keypress("enter");
    expect(await until(/Azure Repos rejects/)).toContain("devops.repository");
    for (let i = 0; i < 10; i++) screen.keypress("backspace");
    screen.type("shop-web");
    screen.keypress("enter");
    expect((await next)?.devops.repository).toBe("shop-web");
    expect(
      await askAnswerAgain({
        field: "keyVault.secrets",
        problem: "x",
        answers,
        organizationUrl: "https://dev.azure.com/contoso",
        lookups,
        context: { input: screen.input, output: out },
      }),
    ).toBeUndefined();
  });
});
