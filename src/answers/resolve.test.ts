import { describe, expect, it } from "vitest";
import { UserError } from "../engine/errors.js";
import { parseAnswers } from "./load.js";
import { resolveAnswers, sandboxDefaults, type ResolveInput } from "./resolve.js";
import { answerSources, missingAnswerMessage } from "./sources.js";

const tenant = "00000000-0000-0000-0000-0000000000aa";
const sub = "11111111-1111-1111-1111-111111111111";

const validYaml = `app: shop
azure:
  tenantId: ${tenant}
  subscriptionId: ${sub}
  location: westeurope
devops:
  organizationUrl: https://dev.azure.com/contoso
  project: Shop
  repository: shop
`;

function problemsOf(input: ResolveInput): { lines: string[]; hint: string | undefined } {
  try {
    resolveAnswers(input);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return { lines: (err as UserError).message.split("\n"), hint: (err as UserError).hint };
  }
  throw new Error("expected a UserError");
}

function fileProblems(text: string, name = "answers.yaml"): string[] {
  return problemsOf({ file: parseAnswers(text, name), env: {}, flags: {} }).lines;
}

describe("resolveAnswers: bad input in the file", () => {
  it("accepts a valid file and fills in defaults", () => {
    const { answers, names } = resolveAnswers({
      file: parseAnswers(validYaml, "answers.yaml"),
      env: {},
      flags: {},
    });
    expect(answers.app).toBe("shop");
    expect(answers.azure.aks.nodeCount).toBe(2);
    expect(answers.pipeline.manualValidation.enabled).toBe(false);
    expect(names.clusterStaging).toBe("aks-shop-staging");
  });

  it("wrong type: names the field, line:column and the expected type", () => {
    const lines = fileProblems(validYaml.replace("  location: westeurope", "  location: 42"));
    expect(lines).toEqual([
      "answers.yaml:5:13 azure.location: must be a string, not a number (put it in quotes; YAML read it as a number)",
    ]);
  });

  it("wrong type: booleans and numbers written as strings get the YAML fix", () => {
    const lines = fileProblems(
      validYaml.replace(
        "  project: Shop\n",
        '  project: Shop\n  createProject: "yes"\n  minimumReviewers: "2"\n',
      ),
    );
    expect(lines).toEqual([
      "answers.yaml:9:18 devops.createProject: must be a boolean, not a string (write true or false, without quotes)",
      "answers.yaml:10:21 devops.minimumReviewers: must be a number, not a string (write the number without quotes)",
    ]);
  });

  it("wrong type of a whole section", () => {
    const lines = fileProblems(`${validYaml}pipeline: yes\n`);
    expect(lines).toEqual(["answers.yaml:10:11 pipeline: must be a mapping, not a string"]);
  });

  it("unknown key: did you mean the closest allowed key at that level", () => {
    const lines = fileProblems(validYaml.replace("subscriptionId", "subscriptionID"));
    expect(lines).toContain(
      "answers.yaml:4:3 azure.subscriptionID: unknown key `subscriptionID`; did you mean `subscriptionId`?",
    );
    // and the real field is then missing, pointed at its parent object
    expect(lines).toContain(
      "answers.yaml:2:1 azure.subscriptionId is required: pass --subscription, set AZURE_SUBSCRIPTION_ID, or add it to the answers file",
    );
  });

  it("unknown key at the wrong level says where it belongs", () => {
    const lines = fileProblems(`${validYaml}nodeCount: 3\n`);
    expect(lines).toEqual([
      "answers.yaml:10:1 nodeCount: unknown key `nodeCount`; it belongs at `azure.aks.nodeCount`",
    ]);
  });

  it("unknown key with nothing close lists the allowed keys", () => {
    const lines = fileProblems(validYaml.replace("devops:\n", "devops:\n  zzzzzz: 1\n"));
    expect(lines[0]).toMatch(
      /^answers\.yaml:7:3 devops\.zzzzzz: unknown key `zzzzzz`; expected one of organizationUrl, project,/,
    );
  });

  it("bad name: a schema rule, at the value", () => {
    const lines = fileProblems(validYaml.replace("app: shop", "app: Shop_App"));
    expect(lines).toEqual([
      "answers.yaml:1:6 app: must be 2-16 characters: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, no two hyphens in a row",
    ]);
  });

  it("bad name override: Azure's rule for that resource", () => {
    const lines = fileProblems(
      validYaml.replace(
        "  location: westeurope\n",
        "  location: westeurope\n  names:\n    keyVault: kv--shop\n",
      ),
    );
    expect(lines).toEqual([
      "answers.yaml:7:15 azure.names.keyVault: must be a valid Key Vault name: 3-24 characters: letters, digits and hyphens, starting with a letter, ending with a letter or digit, no two hyphens in a row",
    ]);
  });

  it("missing required field: points at the parent and names flag and env var", () => {
    const lines = fileProblems(validYaml.replace("  project: Shop\n", ""));
    expect(lines).toEqual([
      "answers.yaml:6:1 devops.project is required: pass --project, set AKS_BOOTSTRAP_PROJECT or AZURE_DEVOPS_EXT_DEFAULTS_PROJECT, or add it to the answers file",
    ]);
  });

  it("missing required field inside a list item", () => {
    const lines = fileProblems(`${validYaml}keyVault:\n  secrets:\n    - name: db-password\n`);
    expect(lines).toEqual([
      "answers.yaml:12:7 keyVault.secrets[0].env is required: add it to the answers file",
    ]);
  });

  it("lists several problems in file order, one per line", () => {
    const text = validYaml
      .replace("location: westeurope", "location: West Europe")
      .replace("app: shop", "app: 7shop")
      .replace("repository: shop", "repository: 5");
    const lines = fileProblems(text);
    expect(lines.map((l) => l.split(" ")[0])).toEqual([
      "answers.yaml:1:6",
      "answers.yaml:5:13",
      "answers.yaml:9:15",
    ]);
  });

  it("JSON file: same messages with JSON positions", () => {
    const json = JSON.stringify(
      {
        app: "shop",
        azure: { tenantId: tenant, subscriptionId: sub, location: "westeurope", aks: { tier: "Gold" } },
      },
      null,
      2,
    );
    const lines = fileProblems(json, "answers.json");
    expect(lines).toContain("answers.json:8:15 azure.aks.tier: must be one of Free, Standard, Premium");
    expect(lines).toContain(
      "answers.json:1:1 devops.organizationUrl is required: pass --organization, set AZURE_DEVOPS_ORG_URL or AZURE_DEVOPS_EXT_DEFAULTS_ORGANIZATION, or add it to the answers file",
    );
  });

  it("hint says to fix the file", () => {
    const { hint } = problemsOf({ file: parseAnswers("app: 1\n", "a.yaml"), env: {}, flags: {} });
    expect(hint).toBe("Fix a.yaml (`aks-bootstrap schema` describes every field), then rerun.");
  });
});

describe("resolveAnswers: secret values pasted where names belong", () => {
  const secretA = "a8F3kLm9Qz7xP2vB5nW1Jc";
  const secretB = "Xk9#mP2$vL7qR4!w";

  it("a secret name that looks like a value is refused without echoing it", () => {
    const text = `${validYaml}keyVault:\n  secrets:\n    - name: ${secretA}\n      env: DB\n    - name: "${secretB}"\n      env: "${secretB}"\n`;
    const { lines } = problemsOf({ file: parseAnswers(text, "answers.yaml"), env: {}, flags: {} });
    expect(lines).toEqual([
      "answers.yaml:12:13 keyVault.secrets[0].name: looks like a secret value, not a name; put the value in the environment variable named by `env`",
      "answers.yaml:14:13 keyVault.secrets[1].name: looks like a secret value, not a name; put the value in the environment variable named by `env`",
      "answers.yaml:15:12 keyVault.secrets[1].env: looks like a secret value, not an environment variable name; put the value in an environment variable and its NAME here",
    ]);
    for (const line of lines) {
      expect(line).not.toContain(secretA);
      expect(line).not.toContain(secretB);
    }
  });

  it("a secret-looking unknown key is not echoed", () => {
    const lines = fileProblems(`${validYaml}${secretA}: 1\n`);
    expect(lines).toEqual([
      "answers.yaml:10:1 (unknown key): unknown key (a key not shown here); expected one of app, azure, devops, stack, pipeline, keyVault",
    ]);
    expect(lines.join("\n")).not.toContain(secretA);
  });
});

describe("resolveAnswers: precedence and provenance", () => {
  const file = parseAnswers(validYaml, "answers.yaml");

  it("flag > env > file > sandbox defaults > schema defaults", () => {
    // Given the same field from every source
    const defaults = sandboxDefaults({
      tenantId: "22222222-2222-2222-2222-222222222222",
      subscriptionId: "33333333-3333-3333-3333-333333333333",
      organizationUrl: "https://sandbox.localhost/org",
    });
    const env = { AKS_BOOTSTRAP_LOCATION: "northeurope", AKS_BOOTSTRAP_APP: "envapp" };
    const flags = { app: "flagapp" };
    // When they are resolved
    const { answers, provenance, origin } = resolveAnswers({ file, defaults, env, flags });
    // Then each field comes from the strongest source that has it
    expect(answers.app).toBe("flagapp");
    expect(provenance.app).toBe("flag");
    expect(origin.app).toBe("--app");
    expect(answers.azure.location).toBe("northeurope");
    expect(provenance["azure.location"]).toBe("env");
    expect(origin["azure.location"]).toBe("AKS_BOOTSTRAP_LOCATION");
    expect(answers.azure.subscriptionId).toBe(sub);
    expect(provenance["azure.subscriptionId"]).toBe("file");
    expect(origin["azure.subscriptionId"]).toBe("answers.yaml:4:3");
    expect(answers.keyVault.secrets).toEqual([
      { name: "integration-db-password", env: "INTEGRATION_DB_PASSWORD" },
    ]);
    expect(provenance["keyVault.secrets"]).toBe("sandbox");
    expect(answers.pipeline.manualValidation.enabled).toBe(true);
    expect(provenance["pipeline.manualValidation.enabled"]).toBe("sandbox");
    expect(answers.azure.aks.tier).toBe("Standard");
    expect(provenance["azure.aks.tier"]).toBe("default");
  });

  it("an env override does not hide the file's sibling fields", () => {
    const { provenance } = resolveAnswers({ file, env: { AZURE_SUBSCRIPTION_ID: sub }, flags: {} });
    expect(provenance["azure.subscriptionId"]).toBe("env");
    expect(provenance["azure.tenantId"]).toBe("file");
    expect(provenance["azure.location"]).toBe("file");
  });

  it("empty env vars and flags count as unset; values are trimmed", () => {
    const { answers, provenance } = resolveAnswers({
      file,
      env: { AKS_BOOTSTRAP_APP: "", AKS_BOOTSTRAP_PROJECT: "  Other  " },
      flags: { app: " " },
    });
    expect(answers.app).toBe("shop");
    expect(provenance.app).toBe("file");
    expect(answers.devops.project).toBe("Other");
  });

  it("reads the az devops extension's default organization and project variables", () => {
    const { answers, provenance, origin } = resolveAnswers({
      env: {
        AKS_BOOTSTRAP_APP: "shop",
        AZURE_TENANT_ID: tenant,
        AZURE_SUBSCRIPTION_ID: sub,
        AKS_BOOTSTRAP_LOCATION: "westeurope",
        AZURE_DEVOPS_EXT_DEFAULTS_ORGANIZATION: "https://dev.azure.com/fabrikam",
        AZURE_DEVOPS_EXT_DEFAULTS_PROJECT: "Web",
        AKS_BOOTSTRAP_REPOSITORY: "web",
      },
      flags: {},
    });
    expect(answers.devops.organizationUrl).toBe("https://dev.azure.com/fabrikam");
    expect(provenance["devops.organizationUrl"]).toBe("env");
    expect(origin["devops.project"]).toBe("AZURE_DEVOPS_EXT_DEFAULTS_PROJECT");
  });

  it("AZURE_DEVOPS_ORG_URL wins over the extension's variable", () => {
    const { answers } = resolveAnswers({
      file,
      env: {
        AZURE_DEVOPS_ORG_URL: "https://dev.azure.com/first",
        AZURE_DEVOPS_EXT_DEFAULTS_ORGANIZATION: "https://dev.azure.com/second",
      },
    });
    expect(answers.devops.organizationUrl).toBe("https://dev.azure.com/first");
  });

  it("a bad value from a flag or env var names its source, not a file position", () => {
    const { lines } = problemsOf({
      file,
      env: { AZURE_SUBSCRIPTION_ID: "not-a-guid" },
      flags: { location: "West Europe" },
    });
    expect(lines).toEqual([
      "azure.subscriptionId (from environment variable AZURE_SUBSCRIPTION_ID): must be a GUID",
      "azure.location (from --location): must be an Azure region name like westeurope (lowercase, no spaces)",
    ]);
  });

  it("with no file and nothing given, every required answer is named with its flag and env var", () => {
    const { lines, hint } = problemsOf({ env: {}, flags: {} });
    expect(lines).toEqual([
      missingAnswerMessage("app", false),
      missingAnswerMessage("azure.tenantId", false),
      missingAnswerMessage("azure.subscriptionId", false),
      missingAnswerMessage("azure.location", false),
      missingAnswerMessage("devops.organizationUrl", false),
      missingAnswerMessage("devops.project", false),
      missingAnswerMessage("devops.repository", false),
    ]);
    expect(hint).toMatch(/flags or environment variables/);
    const partial = problemsOf({
      env: { AKS_BOOTSTRAP_APP: "shop", AZURE_TENANT_ID: tenant },
      flags: {},
    }).lines;
    expect(partial).toEqual([
      "azure.subscriptionId is required: pass --subscription, set AZURE_SUBSCRIPTION_ID, or add it to an answers file (--answers FILE)",
      "azure.location is required: pass --location, set AKS_BOOTSTRAP_LOCATION, or add it to an answers file (--answers FILE)",
      missingAnswerMessage("devops.organizationUrl", false),
      missingAnswerMessage("devops.project", false),
      missingAnswerMessage("devops.repository", false),
    ]);
  });

  it("sandbox defaults alone are a complete, valid set of answers", () => {
    const defaults = sandboxDefaults({
      tenantId: tenant,
      subscriptionId: sub,
      organizationUrl: "https://localhost:8443/sandbox",
    });
    const { answers, names, provenance } = resolveAnswers({ defaults, env: {}, flags: {} });
    expect(answers.app).toBe("demo");
    expect(answers.azure.location).toBe("westeurope");
    expect(provenance.app).toBe("sandbox");
    expect(names.keyVault).toMatch(/^kv-demo-ci-[0-9a-f]{4}$/);
  });

  it("every sourced field's flag key is in AnswerFlags and its env vars are upper case", () => {
    for (const [field, info] of Object.entries(answerSources)) {
      expect(info.field).toBe(field);
      expect(info.flag).toBe(`--${info.flagKey}`);
      for (const e of info.env) expect(e).toMatch(/^[A-Z_]+$/);
    }
  });
});

describe("resolveAnswers: empty values", () => {
  it("a key with nothing after it is reported as empty, at the key", () => {
    const lines = problemsOf({
      file: parseAnswers(
        validYaml.replace("app: shop", "app:").replace(/devops:\n( {2}.*\n)+/, "devops:\n"),
        "a.yaml",
      ),
      env: {},
      flags: {},
    }).lines;
    expect(lines).toEqual([
      "a.yaml:1:1 app: is empty; it must be a string",
      "a.yaml:6:1 devops: is empty; it must be a mapping",
    ]);
  });
});
