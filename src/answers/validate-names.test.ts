import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkName, nameRules, type ResourceKind } from "./name-rules.js";
import { deriveNames } from "./names.js";
import { answersSchema, type Answers } from "./schema.js";
import { nameProblems } from "./validate-names.js";

function answersFor(
  app: string,
  subscriptionId = "11111111-1111-1111-1111-111111111111",
  names = {},
): Answers {
  return answersSchema.parse({
    app,
    azure: {
      tenantId: "00000000-0000-0000-0000-000000000000",
      subscriptionId,
      location: "westeurope",
      names,
    },
    devops: { organizationUrl: "https://dev.azure.com/contoso", project: "p", repository: "r" },
  });
}

/** Valid and invalid examples per kind, at the edges of each rule. */
const cases: Record<ResourceKind, { valid: string[]; invalid: string[] }> = {
  registry: {
    valid: ["abcde", "a".repeat(50), "Cr1Shop2"],
    invalid: ["abcd", "a".repeat(51), "cr-shop", "cr_shop", "crshöp"],
  },
  keyVault: {
    valid: ["kv1", "kv-shop-ci-1a2b", `k${"a".repeat(23)}`],
    invalid: ["kv", `k${"a".repeat(24)}`, "1kv", "kv--shop", "kv-shop-", "kv_shop"],
  },
  aksCluster: {
    valid: ["a", "aks-shop_1", "a".repeat(63)],
    invalid: ["", "a".repeat(64), "-aks", "aks-", "aks_", "aks.shop"],
  },
  resourceGroup: {
    valid: ["r", "rg-shop.prod(1)", "rg_ß", "a".repeat(90)],
    invalid: ["", "a".repeat(91), "rg-shop.", "rg shop", "rg/shop"],
  },
  workspace: {
    valid: ["log1", "log-shop-nonprod", "a".repeat(63)],
    invalid: ["log", "a".repeat(64), "-log", "log-", "log_shop"],
  },
  appInsights: {
    valid: ["a", "appi-shop (staging)", "a".repeat(255)],
    invalid: ["", "a".repeat(256), "appi.", "appi ", "appi/x", "appi?x", "appi%x", "a\u0001b"],
  },
  managedIdentity: {
    valid: ["id1", "id-shop_ci", "a".repeat(128)],
    invalid: ["id", "a".repeat(129), "-id", "_id", "id.shop"],
  },
};

describe("Azure naming rules", () => {
  for (const [kind, { valid, invalid }] of Object.entries(cases) as [
    ResourceKind,
    (typeof cases)[ResourceKind],
  ][]) {
    it(`${kind}: accepts valid names and rejects invalid ones with a message naming the rule`, () => {
      for (const name of valid) expect(checkName(kind, name), name).toBeUndefined();
      for (const name of invalid) {
        const message = checkName(kind, name);
        expect(message, name).toContain(`${nameRules[kind].label} name must be`);
      }
    });
  }

  it("a length error says how long the name is", () => {
    expect(checkName("registry", "abc")).toBe(
      "container registry name must be 5-50 characters (it has 3); 5-50 letters and digits (no hyphens)",
    );
  });
});

describe("nameProblems", () => {
  it("finds nothing wrong with the names derived from a typical app", () => {
    expect(nameProblems(answersFor("shop"))).toEqual([]);
  });

  it("blames `app` for a bad derived name", () => {
    // Given answers whose app name is valid for the schema but whose derived names are not
    // (only reachable if the schema's app rule were loosened: simulate with a parsed object)
    const answers = { ...answersFor("shop"), app: "shop." } as Answers;
    const problems = nameProblems(answers);
    expect(problems.map((p) => p.field)).toContainEqual(["app"]);
    const kv = problems.find((p) => p.name === "keyVault");
    expect(kv?.field).toEqual(["app"]);
    expect(kv?.message).toMatch(
      /^derived keyVault name `kv-shop\.-ci-[0-9a-f]{4}` is not valid: Key Vault name must be .*; choose a shorter or simpler app name, or pin azure\.names\.keyVault$/,
    );
  });

  it("blames the override for a bad pinned name, without quoting a secret-looking one", () => {
    const answers = answersFor("shop");
    const pinned = {
      ...answers,
      azure: { ...answers.azure, names: { registryProd: "cr-prod", keyVault: "a8F3kLm9Qz7xP2vB5nW1Jc_x9" } },
    } as Answers;
    const problems = nameProblems(pinned);
    expect(problems).toEqual([
      {
        name: "registryProd",
        field: ["azure", "names", "registryProd"],
        message: "`cr-prod`: container registry name must be 5-50 letters and digits (no hyphens)",
      },
      {
        name: "keyVault",
        field: ["azure", "names", "keyVault"],
        message:
          "the pinned name: Key Vault name must be 3-24 characters (it has 25); 3-24 characters: letters, digits and hyphens, starting with a letter, ending with a letter or digit, no two hyphens in a row",
      },
    ]);
  });

  it("property: every app name the schema accepts derives only valid names, for any subscription", () => {
    const appChars = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-".split(""));
    const candidateApp = fc
      .tuple(
        fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz".split("")),
        fc.array(appChars, { maxLength: 14 }),
        fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split("")),
      )
      .map(([first, middle, last]) => `${first}${middle.join("")}${last}`)
      .filter((app) => answersSchema.shape.app.safeParse(app).success);
    fc.assert(
      fc.property(candidateApp, fc.uuid(), (app, subscriptionId) => {
        const answers = answersFor(app, subscriptionId);
        expect(nameProblems(answers)).toEqual([]);
        // and the token makes the global names differ per subscription but stay stable
        expect(deriveNames(answers)).toEqual(deriveNames(answersFor(app, subscriptionId.toUpperCase())));
      }),
      { numRuns: 500 },
    );
  });

  it("the longest app names still fit every limit", () => {
    for (const app of ["abcdefghijklmnop", "a-b-c-d-e-f-g-h1", "abcdefghijklm-op"]) {
      const names = deriveNames(answersFor(app));
      expect(nameProblems(answersFor(app))).toEqual([]);
      expect(names.keyVault.length).toBeLessThanOrEqual(24);
      expect(names.keyVault).not.toContain("--");
    }
  });
});
