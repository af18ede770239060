import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { fileText, managedFiles } from "../../steps/repo/generated-files.js";
import { stackExamples, stackInput, templateInput } from "./fixtures.js";

const schemaPath = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../shared/oracles/azure-pipelines-schema/service-schema.json",
);
const haveSchema = existsSync(schemaPath);

function compileSchema(): ValidateFunction {
  // As the oracle's SOURCE.md says: ajv 8 needs strict off, non-unicode regexps and the
  // VS Code extension's own keywords declared.
  const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
  for (const keyword of ["firstProperty", "deprecationMessage", "doNotSuggest", "ignoreCase"])
    ajv.addKeyword(keyword);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
}

const variants = {
  defaults: templateInput(),
  "manual validation with approvers": templateInput({
    pipeline: {
      manualValidation: { enabled: true, approvers: ["a@contoso.com", "b@contoso.com"], timeoutMinutes: 60 },
    },
  }),
  "manual validation, no approvers, no secrets, Dockerfile in a folder": templateInput({
    pipeline: { manualValidation: { enabled: true }, dockerfile: "app/Dockerfile" },
    keyVault: { secrets: [] },
  }),
  // Every stack, with manual validation on so the CD pipeline has every stage.
  ...Object.fromEntries(
    Object.entries(stackExamples).map(([name, stack]) => [
      `stack ${name}`,
      stackInput(stack, { pipeline: { manualValidation: { enabled: true } } }),
    ]),
  ),
};

describe.skipIf(!haveSchema)("generated pipelines against the Azure Pipelines schema", () => {
  const validate = haveSchema ? compileSchema() : undefined;
  for (const [variant, input] of Object.entries(variants)) {
    for (const file of managedFiles(input).filter((f) => f.path.startsWith(".azure-pipelines/"))) {
      it(`${variant}: ${file.path} validates`, () => {
        // Given the pushed text (header included) When parsed and validated
        const doc: unknown = parse(fileText(file));
        const ok = validate!(doc);
        // Then the schema accepts it
        expect(ok ? [] : validate!.errors?.slice(0, 5)).toEqual([]);
      });
    }
  }

  it("rejects a task input the task does not accept (the check can fail)", () => {
    const doc = {
      steps: [{ task: "KubernetesManifest@1", inputs: { action: "deploy", clusterAdmin: true } }],
    };
    expect(validate!(doc)).toBe(false);
  });
});

it.runIf(!haveSchema)(
  "pipeline schema validation skipped: ../shared/oracles/azure-pipelines-schema is absent",
  () => {
    expect(haveSchema).toBe(false);
  },
);
