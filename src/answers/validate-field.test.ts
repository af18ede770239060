import { describe, expect, it } from "vitest";
import { parseAnswers } from "./load.js";
import { mergeAnswerSources } from "./resolve.js";
import { answerFieldError } from "./validate-field.js";

describe("answerFieldError (one wizard answer, the file's rules)", () => {
  it("accepts a valid answer", () => {
    expect(answerFieldError("app", "shop")).toBeUndefined();
    expect(answerFieldError("azure.location", "westeurope")).toBeUndefined();
    expect(answerFieldError(["keyVault", "secrets", 0, "env"], "DB_PASSWORD")).toBeUndefined();
    expect(answerFieldError("azure.names.registryProd", "crshopprod01")).toBeUndefined();
  });

  it("rejects with the same sentence the file would get", () => {
    expect(answerFieldError("azure.location", "West Europe")).toBe(
      "must be an Azure region name like westeurope (lowercase, no spaces)",
    );
    expect(answerFieldError("azure.aks.nodeCount", 0)).toBe("must be at least 1");
    expect(answerFieldError("azure.aks.tier", "Gold")).toBe("must be one of Free, Standard, Premium");
    expect(answerFieldError("azure.names.keyVault", "kv")).toMatch(/^must be a valid Key Vault name: 3-24/);
    expect(answerFieldError("keyVault.secrets[0].name", "db_password")).toMatch(/Key Vault secret NAME/);
  });

  it("says a pasted secret value is one, without echoing it", () => {
    const message = answerFieldError("keyVault.secrets[0].name", "Xk9#mP2$vL7qR4!w");
    expect(message).toBe(
      "looks like a secret value, not a name; put the value in the environment variable named by `env`",
    );
  });

  it("refuses a field the schema does not have", () => {
    expect(answerFieldError("azure.subscriptionID", "x")).toBe("is not an answer aks-bootstrap knows");
  });
});

describe("mergeAnswerSources (what the wizard pre-fills)", () => {
  it("merges by precedence without validating or adding defaults", () => {
    const file = parseAnswers("app: shop\nazure:\n  location: West Europe\n", "answers.yaml");
    const merged = mergeAnswerSources({ file, env: { AZURE_SUBSCRIPTION_ID: "x" }, flags: { app: "web" } });
    expect(merged.raw).toEqual({ app: "web", azure: { location: "West Europe", subscriptionId: "x" } });
    expect(merged.provenance).toEqual({
      app: "flag",
      "azure.location": "file",
      "azure.subscriptionId": "env",
    });
    expect(merged.origin["azure.location"]).toBe("answers.yaml:3:3");
  });
});
