import { describe, expect, it, vi } from "vitest";
import { UserError } from "../engine/errors.js";
import { parseAnswers } from "./load.js";
import { resolveAnswers } from "./resolve.js";

// Every app name the schema accepts derives valid names (see the property in
// validate-names.test.ts), so a derived-name failure cannot be provoked through a file. Stand in
// for a future naming rule that `app` could break, to check how resolveAnswers reports it.
vi.mock("./validate-names.js", () => ({
  nameProblems: () => [
    { name: "keyVault", field: ["app"], message: "derived keyVault name `kv-x` is not valid: too short" },
    { name: "registryProd", field: ["azure", "names", "registryProd"], message: "`crx`: too short" },
  ],
}));

describe("resolveAnswers: derived-name problems", () => {
  it("are reported at the answer that produced them", () => {
    // Given a schema-valid file
    const text = `app: shop
azure:
  tenantId: 00000000-0000-0000-0000-000000000000
  subscriptionId: 11111111-1111-1111-1111-111111111111
  location: westeurope
  names:
    registryProd: crxxx1
devops:
  organizationUrl: https://dev.azure.com/contoso
  project: Shop
  repository: shop
`;
    // When it is resolved and a derived name breaks a rule
    let err: unknown;
    try {
      resolveAnswers({ file: parseAnswers(text, "answers.yaml"), env: {}, flags: {} });
    } catch (e) {
      err = e;
    }
    // Then the error points at `app` and at the override, with line:column
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message.split("\n")).toEqual([
      "answers.yaml:1:6 app: derived keyVault name `kv-x` is not valid: too short",
      "answers.yaml:7:19 azure.names.registryProd: `crx`: too short",
    ]);
  });
});
