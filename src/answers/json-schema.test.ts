import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { answersJsonSchema, answersSchemaId } from "./json-schema.js";
import { loadAnswersFile } from "./load.js";
import { resolveAnswers } from "./resolve.js";

const examplePath = fileURLToPath(new URL("../../examples/answers.yaml", import.meta.url));

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(answersJsonSchema());
}

describe("answersJsonSchema", () => {
  it("is a draft 2020-12 schema with an id and title", () => {
    const schema = answersJsonSchema();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(answersSchemaId);
    expect(schema.title).toBe("aks-bootstrap answers");
    expect(schema.required).toEqual(["app", "azure", "devops"]);
  });

  it("accepts the example answers file, which aks-bootstrap itself also accepts", async () => {
    // Given the README's example answers file
    const text = await readFile(examplePath, "utf8");
    // When the JSON Schema checks it
    const validate = validator();
    const ok = validate(parse(text));
    // Then it passes, and so does aks-bootstrap's own loading
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const { answers } = resolveAnswers({ file: await loadAnswersFile(examplePath), env: {}, flags: {} });
    expect(answers.app).toBe("shop");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./aks-bootstrap.schema.json");
  });

  it("rejects a bad file: unknown key, wrong type, bad name, missing field", () => {
    const validate = validator();
    const bad = {
      app: "Shop_App",
      azure: { tenantId: "x", location: 5, subscriptionID: "y", names: { registryProd: "cr-prod" } },
    };
    expect(validate(bad)).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(where).toEqual(
      expect.arrayContaining([
        "/app pattern",
        "/azure/tenantId pattern",
        "/azure/location type",
        "/azure additionalProperties",
        "/azure required",
        "/azure/names/registryProd pattern",
        " required",
      ]),
    );
  });

  it("rejects app names with two hyphens in a row, as the loader does", () => {
    const validate = validator();
    const base = parse(
      `app: a--b\nazure: {tenantId: 00000000-0000-0000-0000-000000000000, subscriptionId: 00000000-0000-0000-0000-000000000000, location: westeurope}\ndevops: {organizationUrl: "https://dev.azure.com/x", project: p, repository: r}\n`,
    );
    expect(validate(base)).toBe(false);
    expect(validate({ ...base, app: "a-b" })).toBe(true);
  });

  it("has no field that could hold a secret value", () => {
    // Every property name in the schema, at any depth
    const names: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        const props = (node as { properties?: Record<string, unknown> }).properties;
        if (props) names.push(...Object.keys(props));
        Object.values(node).forEach(walk);
      }
    };
    walk(answersJsonSchema());
    expect(names.length).toBeGreaterThan(30);
    const suspicious = names.filter((n) =>
      /password|passwd|secretValue|value|token|credential|pat$|key$|clientSecret/i.test(n),
    );
    expect(suspicious).toEqual([]);
  });
});

describe("examples/aks-bootstrap.schema.json", () => {
  it("matches the schema aks-bootstrap prints, so editors check the example as the tool does", async () => {
    const path = fileURLToPath(new URL("../../examples/aks-bootstrap.schema.json", import.meta.url));
    // Regenerate after a schema change (then run prettier on it):
    //   UPDATE_EXAMPLE_SCHEMA=1 npx vitest run src/answers/json-schema.test.ts
    if (process.env.UPDATE_EXAMPLE_SCHEMA === "1") {
      await writeFile(path, `${JSON.stringify(answersJsonSchema(), null, 2)}\n`);
    }
    const onDisk = JSON.parse(await readFile(path, "utf8")) as unknown;
    expect(onDisk, "examples/aks-bootstrap.schema.json is stale").toEqual(answersJsonSchema());
  });
});
