import { z } from "zod";
import { answersSchema } from "./schema.js";

/** Identifies the answers schema; a URN because the schema ships inside the package, not on a site. */
export const answersSchemaId = "urn:aks-bootstrap:answers";

/** File name `aks-bootstrap schema` output is saved under, next to the answers file. */
export const schemaFileName = "aks-bootstrap.schema.json";

/**
 * The answers file's JSON Schema (draft 2020-12), as printed by `aks-bootstrap schema` and saved
 * next to answers files for editors (yaml-language-server, VS Code's JSON support). Generated from
 * the zod schema in its input form, so fields with defaults are optional, as in a file.
 * Zod refinements that JSON Schema cannot express (e.g. "no two hyphens in a row" in `app`) are
 * still enforced when aks-bootstrap loads the file.
 */
export function answersJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(answersSchema, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: answersSchemaId,
    title: "aks-bootstrap answers",
    ...rest,
  };
}
