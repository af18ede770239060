import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UserError } from "../engine/errors.js";
import { parseAnswers } from "./load.js";
import { resolveAnswers } from "./resolve.js";
import { looksLikeSecret } from "./secret-guard.js";
import { stringify } from "yaml";

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Tokens drawn like API keys: uniform over A-Z a-z 0-9. */
const apiKey = (minLength: number, maxLength: number) =>
  fc
    .array(fc.integer({ min: 0, max: alphabet.length - 1 }), { minLength, maxLength })
    .map((ix) => ix.map((i) => alphabet[i]).join(""));

/** Random tokens shaped like API keys and passwords. */
const secretLike = fc.oneof(
  apiKey(24, 40),
  fc.stringMatching(/^[A-Za-z0-9!@#%^&*+=]{12,30}$/).filter((s) => /[!@#%^&*+=]/.test(s) && /[0-9]/.test(s)),
  fc.stringMatching(/^[0-9a-f]{32,64}$/).filter((s) => /[0-9]/.test(s) && /[a-f]/.test(s)),
);

const valid = {
  app: "shop",
  azure: {
    tenantId: "00000000-0000-0000-0000-000000000000",
    subscriptionId: "11111111-1111-1111-1111-111111111111",
    location: "westeurope",
  },
  devops: { organizationUrl: "https://dev.azure.com/contoso", project: "Shop", repository: "shop" },
  keyVault: { secrets: [{ name: "db-password", env: "DB_PASSWORD" }] },
};

/** Field paths a user might paste a secret into. */
const targets: readonly (readonly (string | number)[])[] = [
  ["app"],
  ["azure", "location"],
  ["azure", "tenantId"],
  ["azure", "names", "keyVault"],
  ["azure", "aks", "vmSize"],
  ["devops", "organizationUrl"],
  ["devops", "defaultBranch"],
  ["devops", "productionApprovers", 0],
  ["pipeline", "namespace"],
  ["keyVault", "secrets", 0, "name"],
  ["keyVault", "secrets", 0, "env"],
];

function withValueAt(path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  let at: Record<string | number, unknown> = copy;
  path.slice(0, -1).forEach((seg, i) => {
    if (at[seg] === undefined) at[seg] = typeof path[i + 1] === "number" ? [] : {};
    at = at[seg] as Record<string | number, unknown>;
  });
  at[path.at(-1) as string | number] = value;
  return copy;
}

function messageOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return `${(err as UserError).message}\n${(err as UserError).hint ?? ""}`;
  }
}

describe("properties", () => {
  it("random text never throws anything but UserError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        messageOf(() => resolveAnswers({ file: parseAnswers(text, "a.yaml"), env: {}, flags: {} }));
      }),
      { numRuns: 400 },
    );
  });

  it("random YAML-ish documents never throw anything but UserError", () => {
    const token = fc.constantFrom(
      "app",
      "azure",
      "devops",
      ":",
      " ",
      "\n",
      "  ",
      "- ",
      "{",
      "}",
      "[",
      "]",
      ",",
      '"',
      "'",
      "&a",
      "*a",
      "!!str",
      "#",
      "?",
      "|",
      ">",
      "__proto__",
      "constructor",
      "1.5",
      "null",
      "true",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (parts) => {
        messageOf(() => resolveAnswers({ file: parseAnswers(parts.join(""), "a.yaml"), env: {}, flags: {} }));
      }),
      { numRuns: 400 },
    );
  });

  it("random structured answers never throw anything but UserError, and never pollute prototypes", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), fc.constantFrom(...targets), (value, path) => {
        const text = JSON.stringify(withValueAt(path, value)) ?? "{}";
        messageOf(() => resolveAnswers({ file: parseAnswers(text, "a.json"), env: {}, flags: {} }));
        messageOf(() =>
          resolveAnswers({ file: parseAnswers(text.replace("{", '{"__proto__": {"x": 1},'), "a.json") }),
        );
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("a secret-looking value is never echoed, wherever it is pasted (file, env or flag)", () => {
    fc.assert(
      fc.property(secretLike, fc.constantFrom(...targets), (secret, path) => {
        const yaml = stringify(withValueAt(path, secret));
        const fromFile = messageOf(() =>
          resolveAnswers({ file: parseAnswers(yaml, "a.yaml"), env: {}, flags: {} }),
        );
        if (fromFile !== undefined) expect(fromFile).not.toContain(secret);
        // pasted as a key, too
        const asKey = messageOf(() =>
          resolveAnswers({
            file: parseAnswers(`${stringify(valid)}${stringify({ [secret]: 1 })}`, "a.yaml"),
            env: {},
            flags: {},
          }),
        );
        expect(asKey).toBeDefined();
        expect(asKey).not.toContain(secret);
        const fromEnv = messageOf(() =>
          resolveAnswers({
            env: { AZURE_SUBSCRIPTION_ID: secret, AKS_BOOTSTRAP_LOCATION: secret },
            flags: { app: secret },
          }),
        );
        expect(fromEnv).toBeDefined();
        expect(fromEnv).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });

  it("a secret name pasted as a value is refused when it has a credential's shape", () => {
    // Shapes the guard recognises without doubt: symbols no name allows, long hex, known prefixes.
    const certain = fc.oneof(
      fc.base64String({ minLength: 16, maxLength: 64 }).filter((s) => /[+/=]/.test(s)),
      fc.stringMatching(/^[0-9a-f]{32,64}$/).filter((s) => /[0-9]/.test(s) && /[a-f]/.test(s)),
      fc.stringMatching(/^[A-Za-z0-9]{20,36}$/).map((s) => `ghp_${s}`),
      fc.stringMatching(/^[A-Za-z0-9!@#%^&*+=]{8,30}$/).filter((s) => /[!@#%^&*+=]/.test(s)),
    );
    fc.assert(
      fc.property(certain, (secret) => {
        const yaml = stringify(withValueAt(["keyVault", "secrets", 0, "name"], secret));
        const message = messageOf(() =>
          resolveAnswers({ file: parseAnswers(yaml, "a.yaml"), env: {}, flags: {} }),
        );
        expect(message).toContain("looks like a secret value, not a name");
        expect(message).not.toContain(secret);
      }),
      { numRuns: 200 },
    );
  });

  it("random alphanumeric tokens are recognised as secrets, real secret names are not", () => {
    // Given 1000 tokens drawn like API keys (uniform over A-Z a-z 0-9), from a fixed seed
    const tokens = fc.sample(apiKey(24, 40), { numRuns: 1000, seed: 42 });
    const refused = tokens.filter((t) => looksLikeSecret(t)).length;
    // Then nearly all are caught (a heuristic: a token that happens to read like words slips by)
    expect(refused / tokens.length).toBeGreaterThan(0.97);
    // And names people really give secrets are not
    for (const name of [
      "integration-db-password",
      "IntegrationDbPassword2",
      "ApplicationInsightsConnectionString",
      "storage-account-key-prod-v2",
      "sqlpassword1234567",
      "ServiceBusConnectionString",
      "CosmosDbPrimaryKey",
      "redis-cache-access-key-2025",
    ]) {
      expect(looksLikeSecret(name), name).toBe(false);
    }
  });
});
