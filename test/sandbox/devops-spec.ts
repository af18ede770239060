import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Checks Azure DevOps traffic against Microsoft's REST specs (../shared/oracles): each request
 * maps to a spec operation, request bodies fit the body schema, response bodies fit the
 * response schema and carry no field the spec does not declare. The spec files are read at
 * test time only; nothing of them is copied into the project.
 */
export const SPECS_DIR = resolve(
  import.meta.dirname,
  "../../../shared/oracles/azure-devops-rest-specs/specification",
);

type Schema = Record<string, unknown>;
interface Operation {
  readonly file: string;
  readonly method: string;
  readonly template: string;
  readonly regex: RegExp;
  readonly literals: number;
  readonly op: Schema;
  readonly definitions: Record<string, Schema>;
}

export function loadOperations(): Operation[] {
  const ops: Operation[] = [];
  for (const area of readdirSync(SPECS_DIR)) {
    const dir = join(SPECS_DIR, area, "7.2");
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".json"))) {
      const spec = JSON.parse(readFileSync(join(dir, f), "utf8").replace(/^\uFEFF/, "")) as {
        paths: Record<string, Record<string, Schema>>;
        definitions: Record<string, Schema>;
      };
      for (const [template, methods] of Object.entries(spec.paths)) {
        const segs = template.split("/").filter(Boolean);
        const regex = new RegExp(
          `^/${segs.map((s) => (s.startsWith("{") ? "[^/]+" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/")}/?$`,
          "i",
        );
        const literals = segs.filter((s) => !s.startsWith("{")).length;
        for (const [method, op] of Object.entries(methods)) {
          if (method === "parameters") continue;
          ops.push({
            file: `${area}/${f}`,
            method: method.toUpperCase(),
            template,
            regex,
            literals,
            op,
            definitions: spec.definitions,
          });
        }
      }
    }
  }
  return ops;
}

export function findOperation(
  ops: readonly Operation[],
  method: string,
  path: string,
): Operation | undefined {
  const candidates = ops
    .filter((o) => o.method === method && o.regex.test(path))
    .sort((a, b) => b.literals - a.literals);
  return candidates[0];
}

/** Follows $refs; also returns the definition name reached (for subclass lookups). */
function derefNamed(
  schema: Schema | undefined,
  defs: Record<string, Schema>,
): { schema?: Schema; name?: string } {
  let s = schema;
  let name: string | undefined;
  for (let i = 0; s && typeof s.$ref === "string" && i < 20; i++) {
    name = (s.$ref as string).replace("#/definitions/", "");
    s = defs[name];
  }
  return { ...(s ? { schema: s } : {}), ...(name ? { name } : {}) };
}

function deref(schema: Schema | undefined, defs: Record<string, Schema>): Schema | undefined {
  return derefNamed(schema, defs).schema;
}

/** Properties and additionalProperties of a schema, following allOf. */
function shape(
  schema: Schema,
  defs: Record<string, Schema>,
): { props?: Record<string, Schema>; additional?: Schema | boolean } {
  let props = schema.properties as Record<string, Schema> | undefined;
  let additional = schema.additionalProperties as Schema | boolean | undefined;
  for (const part of (schema.allOf as Schema[] | undefined) ?? []) {
    const p = deref(part, defs);
    if (!p) continue;
    const inner = shape(p, defs);
    if (inner.props) props = { ...inner.props, ...(props ?? {}) };
    additional ??= inner.additional;
  }
  return { ...(props ? { props } : {}), ...(additional !== undefined ? { additional } : {}) };
}

function properties(schema: Schema, defs: Record<string, Schema>): Record<string, Schema> | undefined {
  return shape(schema, defs).props;
}

/** A property declared by a definition derived (allOf) from `base`: the wire carries subclasses. */
function derivedProperty(
  base: string,
  key: string,
  defs: Record<string, Schema>,
  seen = new Set<string>(),
): Schema | undefined {
  for (const [name, def] of Object.entries(defs)) {
    if (seen.has(name)) continue;
    const parents = ((def.allOf as Schema[] | undefined) ?? []).map((p) =>
      String(p.$ref ?? "").replace("#/definitions/", ""),
    );
    if (!parents.includes(base)) continue;
    seen.add(name);
    const own = properties(def, defs);
    const hit =
      own?.[key] ?? Object.entries(own ?? {}).find(([n]) => n.toLowerCase() === key.toLowerCase())?.[1];
    if (hit) return hit;
    const deeper = derivedProperty(name, key, defs, seen);
    if (deeper) return deeper;
  }
  return undefined;
}

/**
 * .NET types the spec generator models differently from their JSON form: ReferenceLinks is a
 * dictionary of links, JObject/JToken are free JSON, and Change<T>.item is the generic T
 * (rendered as "string").
 */
const FREE_FORM = new Set(["ReferenceLinks", "JObject", "JToken"]);
/**
 * Fields the service sends that the generated spec omits (its subclass is missing): the
 * Pipelines API's YAML configuration carries path and repository (learn.microsoft.com
 * "Pipelines - Get" example).
 */
const SPEC_OMISSIONS = new Set([
  "PipelineConfiguration.path",
  "PipelineConfiguration.repository",
  // A run's self repository carries its id besides the type ("Runs - Get" example); the
  // generated Repository definition lists only the type.
  "Repository.id",
]);

export function validate(
  schemaIn: Schema | undefined,
  value: unknown,
  defs: Record<string, Schema>,
  where: string,
  mode: "request" | "response",
  problems: string[],
  depth = 0,
): void {
  const { schema, name } = derefNamed(schemaIn, defs);
  if (!schema || value === null || value === undefined || depth > 30) return;
  if (name && FREE_FORM.has(name)) return;
  const type = schema.type as string | undefined;
  const enumValues = schema.enum as unknown[] | undefined;
  if (enumValues) {
    if (mode === "request" && typeof value === "number") return; // the node API sends enum numbers
    const names = enumValues.map((e) => String(e).toLowerCase());
    // Flags enums come comma-separated.
    const parts = String(value).toLowerCase().split(/,\s*/);
    if (!parts.every((p) => names.includes(p)))
      problems.push(`${where}: '${String(value)}' is not one of ${enumValues.join(", ")}`);
    return;
  }
  if (type === "array" || (schema.items && !type)) {
    if (!Array.isArray(value)) return void problems.push(`${where}: expected an array`);
    value.forEach((v, i) =>
      validate(schema.items as Schema, v, defs, `${where}[${i}]`, mode, problems, depth + 1),
    );
    return;
  }
  // A generic parameter (Change<T>.item) is rendered as a string of format "T".
  if (schema.format === "T") return;
  if (type === "string") {
    if (typeof value !== "string") problems.push(`${where}: expected a string, got ${typeof value}`);
    return;
  }
  if (type === "integer") {
    if (!Number.isInteger(value))
      problems.push(`${where}: expected an integer, got ${JSON.stringify(value)}`);
    return;
  }
  if (type === "number") {
    if (typeof value !== "number") problems.push(`${where}: expected a number`);
    return;
  }
  if (type === "boolean") {
    if (typeof value !== "boolean") problems.push(`${where}: expected a boolean`);
    return;
  }
  const { props, additional } = shape(schema, defs);
  if (props || additional || type === "object") {
    if (typeof value !== "object" || Array.isArray(value))
      return void problems.push(`${where}: expected an object`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (name && SPEC_OMISSIONS.has(`${name}.${k}`)) continue;
      const p =
        props?.[k] ??
        Object.entries(props ?? {}).find(([n]) => n.toLowerCase() === k.toLowerCase())?.[1] ??
        (name ? derivedProperty(name, k, defs) : undefined);
      if (p) validate(p, v, defs, `${where}.${k}`, mode, problems, depth + 1);
      else if (additional && typeof additional === "object")
        validate(additional, v, defs, `${where}.${k}`, mode, problems, depth + 1);
      else if (props && !additional && mode === "response")
        problems.push(`${where}.${k}: not declared by the spec`);
    }
  }
}

function bodySchema(op: Operation): Schema | undefined {
  const params = (op.op.parameters as Schema[] | undefined) ?? [];
  return params.find((p) => p.in === "body")?.schema as Schema | undefined;
}

function responseSchema(op: Operation, status: number): Schema | undefined {
  const responses = op.op.responses as Record<string, Schema>;
  // Known deviation (specs' SOURCE.md): pushes and a few creates answer 201 where the spec says 200.
  const r =
    responses[String(status)] ??
    (status === 201 || status === 202 ? responses["200"] : undefined) ??
    responses.default;
  return r?.schema as Schema | undefined;
}

/** Problems with one exchange; `undefined` when no spec operation covers it. */
export function checkExchange(
  ops: readonly Operation[],
  method: string,
  path: string,
  status: number,
  requestBody: unknown,
  responseBody: unknown,
): string[] | undefined {
  const op = findOperation(ops, method, path);
  if (!op) return undefined;
  const problems: string[] = [];
  const where = `${method} ${op.template}`;
  const req = bodySchema(op);
  if (req && requestBody !== undefined)
    validate(req, requestBody, op.definitions, `${where} request`, "request", problems);
  if (status >= 200 && status < 300 && responseBody !== undefined && responseBody !== "") {
    const declared = responseSchema(op, status);
    // Keep the $ref (validate() needs the definition name for subclass lookups).
    let schema =
      deref(declared, op.definitions)?.type === "array" ? deref(declared, op.definitions) : declared;
    let body: unknown = responseBody;
    // Collections travel as {count, value}; the specs describe the array.
    if (
      schema?.type === "array" &&
      body &&
      typeof body === "object" &&
      !Array.isArray(body) &&
      "value" in body
    )
      body = (body as { value: unknown }).value;
    if (
      schema &&
      deref(schema, op.definitions)?.type !== "array" &&
      Array.isArray((body as { value?: unknown })?.value) &&
      !properties(deref(schema, op.definitions) ?? {}, op.definitions)?.value
    ) {
      schema = { type: "array", items: schema };
      body = (body as { value: unknown }).value;
    }
    // Items_List also covers the single-item form (`?path=`), which answers one object.
    if (schema?.type === "array" && body && typeof body === "object" && !Array.isArray(body))
      schema = schema.items as Schema;
    if (schema) validate(schema, body, op.definitions, `${where} response ${status}`, "response", problems);
  }
  return problems;
}
