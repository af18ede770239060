import type { z } from "zod";
import { answersSchema } from "./schema.js";
import type { FieldPath } from "./load.js";

/**
 * Reads the answers schema's structure (object keys, array items) so errors can suggest the key
 * that was meant. Walks zod 4's public `_zod.def`, unwrapping defaults and optionals.
 */

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly in?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 16; i++) {
    const def = defOf(s);
    if (
      def.innerType &&
      ["default", "optional", "nullable", "readonly", "prefault", "catch"].includes(def.type)
    ) {
      s = def.innerType;
    } else if (def.type === "pipe" && def.in) {
      s = def.in;
    } else break;
  }
  return s;
}

/** The schema at `path`, or undefined when the path leaves the schema. */
export function schemaAt(path: FieldPath, root: z.ZodType = answersSchema): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(root);
  for (const seg of path) {
    if (!s) return undefined;
    const def = defOf(s);
    if (def.type === "object" && typeof seg === "string" && def.shape && Object.hasOwn(def.shape, seg)) {
      s = unwrap(def.shape[seg] as z.ZodType);
    } else if (def.type === "array" && typeof seg === "number" && def.element) {
      s = unwrap(def.element);
    } else return undefined;
  }
  return s;
}

/** The keys an object at `path` accepts, or [] when `path` is not an object. */
export function allowedKeysAt(path: FieldPath): string[] {
  const s = schemaAt(path);
  if (!s) return [];
  const def = defOf(s);
  return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

/** Every object-field path in the schema (array items as index 0), for "belongs elsewhere" hints. */
export function allFieldPaths(): FieldPath[] {
  const out: FieldPath[] = [];
  const visit = (s: z.ZodType, path: (string | number)[]): void => {
    const def = defOf(unwrap(s));
    if (def.type === "object" && def.shape) {
      for (const [key, child] of Object.entries(def.shape)) {
        out.push([...path, key]);
        visit(child, [...path, key]);
      }
    } else if (def.type === "array" && def.element) {
      visit(def.element, [...path, 0]);
    }
  };
  visit(answersSchema, []);
  return out;
}

export { closestKey, levenshtein } from "./did-you-mean.js";
