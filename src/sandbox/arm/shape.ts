import { ArmError, invalidContent } from "./errors.js";

/**
 * A small body-shape checker, written from the OpenAPI definitions of each resource kind:
 * required fields, known fields (when the spec forbids others), enums and primitive types.
 * Error texts follow ARM's deserializer ("Required property 'x' not found in JSON. Path 'y'").
 */
export type Field =
  | "string"
  | "boolean"
  | "integer"
  | "number"
  | "object"
  | "array"
  | "any"
  | { readonly enum: readonly string[] }
  | Shape
  | { readonly arrayOf: Shape };

export interface Shape {
  readonly fields: Readonly<Record<string, Field>>;
  readonly required?: readonly string[];
  /** Reject fields not in `fields` (the spec says additionalProperties: false, or the RP is strict). */
  readonly strict?: boolean;
}

const isShape = (f: Field): f is Shape => typeof f === "object" && "fields" in f;

export function checkShape(value: unknown, shape: Shape, path: string, codeForMissing?: string): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidContent(`Unexpected value for '${path || "body"}', an object was expected. Path '${path}'`);
  }
  const obj = value as Record<string, unknown>;
  for (const req of shape.required ?? []) {
    if (obj[req] === undefined || obj[req] === null) {
      const where = path ? `${path}.${req}` : req;
      if (codeForMissing)
        throw new ArmError(400, codeForMissing, `Required property '${where}' is missing from the request.`);
      throw invalidContent(`Required property '${req}' not found in JSON. Path '${path}'`);
    }
  }
  const known = new Map(Object.entries(shape.fields).map(([k, v]) => [k.toLowerCase(), [k, v] as const]));
  for (const [k, v] of Object.entries(obj)) {
    const entry = known.get(k.toLowerCase());
    const where = path ? `${path}.${k}` : k;
    if (!entry) {
      if (shape.strict) throw invalidContent(`Could not find member '${k}' on object. Path '${where}'`);
      continue;
    }
    if (v === null || v === undefined) continue;
    checkField(v, entry[1], where, codeForMissing);
  }
}

function checkField(v: unknown, f: Field, where: string, codeForMissing?: string): void {
  const bad = (what: string) =>
    invalidContent(`Error converting value ${JSON.stringify(v)} to type '${what}'. Path '${where}'`);
  if (f === "any") return;
  if (f === "string" && typeof v !== "string") throw bad("System.String");
  if (f === "boolean" && typeof v !== "boolean") throw bad("System.Boolean");
  if (f === "integer" && !Number.isInteger(v)) throw bad("System.Int32");
  if (f === "number" && typeof v !== "number") throw bad("System.Double");
  if (f === "object" && (typeof v !== "object" || Array.isArray(v))) throw bad("Object");
  if (f === "array" && !Array.isArray(v)) throw bad("Array");
  if (typeof f === "object" && "enum" in f) {
    if (typeof v !== "string" || !f.enum.some((e) => e.toLowerCase() === v.toLowerCase())) {
      throw new ArmError(
        400,
        "InvalidParameter",
        `The value '${String(v)}' of '${where}' is not valid. Allowed values: ${f.enum.join(", ")}.`,
      );
    }
  }
  if (typeof f === "object" && "arrayOf" in f) {
    if (!Array.isArray(v)) throw bad("Array");
    v.forEach((item, i) => checkShape(item, f.arrayOf, `${where}[${i}]`, codeForMissing));
  }
  if (typeof f === "object" && isShape(f)) checkShape(v, f, where, codeForMissing);
}

/** Common ARM tracked-resource envelope fields. */
export const trackedEnvelope = {
  location: "string",
  tags: "object",
  id: "string",
  name: "string",
  type: "string",
  systemData: "any",
  etag: "any",
} as const satisfies Record<string, Field>;
