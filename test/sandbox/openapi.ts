import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * A small OpenAPI 2.0 reader for the conformance test: finds the operation a request hit,
 * resolves $refs across files, and lists body fields the spec does not define. The spec files
 * are test data read from ../shared/oracles; nothing here copies them.
 */
type Json = Record<string, unknown>;
interface Schema extends Json {
  $ref?: string;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  required?: string[];
  discriminator?: string;
  readOnly?: boolean;
}

export interface SpecOperation {
  file: string;
  apiVersion: string;
  template: string;
  method: string;
  op: Json;
  regex: RegExp;
  paramNames: string[];
}

const cache = new Map<string, Json>();
function load(file: string): Json {
  let d = cache.get(file);
  if (!d) cache.set(file, (d = JSON.parse(readFileSync(file, "utf8")) as Json));
  return d;
}

function resolveRef(ref: string, file: string): { node: Schema; file: string } {
  const [rel, pointer = ""] = ref.split("#");
  const target = rel ? resolve(dirname(file), rel) : file;
  let node: unknown = load(target);
  for (const part of pointer.split("/").filter(Boolean))
    node = (node as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  if (!node) throw new Error(`unresolvable $ref ${ref} from ${file}`);
  return { node: node as Schema, file: target };
}

function deref(schema: Schema, file: string): { node: Schema; file: string } {
  let cur = { node: schema, file };
  for (let i = 0; cur.node.$ref && i < 20; i++) cur = resolveRef(cur.node.$ref, cur.file);
  return cur;
}

function walkFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory()
      ? n === "examples"
        ? []
        : walkFiles(p)
      : p.endsWith(".json")
        ? [p]
        : [];
  });
}

export function loadOperations(specRoot: string): SpecOperation[] {
  const ops: SpecOperation[] = [];
  for (const file of walkFiles(specRoot)) {
    if (file.includes("common-types") || file.includes("/common/")) continue;
    const d = load(file);
    const version = String((d["info"] as Json | undefined)?.["version"] ?? "");
    for (const [template, methods] of Object.entries((d["paths"] ?? {}) as Record<string, Json>)) {
      const paramNames: string[] = [];
      const pattern = template
        .split("/")
        .map((seg) =>
          seg.replace(/\{([^}]+)\}|([^{]+)/g, (_m, name: string | undefined, lit: string | undefined) => {
            if (name) {
              paramNames.push(name);
              return /^(scope|resourceUri|resourceId|roleAssignmentId|parentResourcePath)$/.test(name)
                ? "(.+)"
                : "([^/]+)";
            }
            return (lit ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          }),
        )
        .join("/");
      const regex = new RegExp(`^${pattern.replace(/^\/\(\.\+\)/, "(.*)")}$`, "i");
      for (const [method, op] of Object.entries(methods)) {
        if (!["get", "put", "post", "delete", "patch", "head"].includes(method)) continue;
        ops.push({
          file,
          apiVersion: version,
          template,
          method: method.toUpperCase(),
          op: op as Json,
          regex,
          paramNames,
        });
      }
    }
  }
  return ops;
}

/** The most specific operation matching method and path: fewest catch-all params, most literal text. */
export function findOperation(ops: SpecOperation[], method: string, path: string): SpecOperation | undefined {
  const wild = (o: SpecOperation) => (o.regex.source.match(/\(\.[+*]\)/g) ?? []).length;
  const literal = (o: SpecOperation) => o.template.replace(/\{[^}]+\}/g, "").length;
  return ops
    .filter((o) => o.method === method && o.regex.test(path))
    .sort((a, b) => wild(a) - wild(b) || literal(b) - literal(a))[0];
}

export function bodySchema(op: SpecOperation): { node: Schema; file: string } | undefined {
  for (const p of (op.op["parameters"] ?? []) as Schema[]) {
    const param = deref(p, op.file);
    if (param.node["in"] === "body" && param.node["schema"])
      return deref(param.node["schema"] as Schema, param.file);
  }
  return undefined;
}

export function responseSchema(
  op: SpecOperation,
  status: number,
): { node: Schema; file: string } | undefined {
  const responses = (op.op["responses"] ?? {}) as Record<string, Schema>;
  const r = responses[String(status)];
  if (!r) return undefined;
  const resp = deref(r, op.file);
  return resp.node["schema"] ? deref(resp.node["schema"] as Schema, resp.file) : undefined;
}

export function statusAllowed(op: SpecOperation, status: number): boolean {
  const responses = Object.keys((op.op["responses"] ?? {}) as Json);
  return responses.includes(String(status)) || (status >= 400 && responses.includes("default"));
}

/** Every property (own + allOf) of an object schema; `open` when any key is allowed. */
function shapeOf(
  schema: Schema,
  file: string,
  seen = new Set<Schema>(),
): {
  props: Map<string, { node: Schema; file: string }>;
  open: boolean;
  additional?: { node: Schema; file: string };
  required: string[];
} {
  const { node, file: f } = deref(schema, file);
  const out = {
    props: new Map<string, { node: Schema; file: string }>(),
    open: false,
    additional: undefined as { node: Schema; file: string } | undefined,
    required: [...(node.required ?? [])],
  };
  if (seen.has(node)) return out;
  seen.add(node);
  if (node.discriminator || node["x-ms-discriminator-value"]) out.open = true;
  for (const [k, v] of Object.entries(node.properties ?? {})) out.props.set(k, { node: v, file: f });
  if (node.additionalProperties === true) out.open = true;
  else if (node.additionalProperties && typeof node.additionalProperties === "object")
    out.additional = { node: node.additionalProperties, file: f };
  for (const part of node.allOf ?? []) {
    const inner = shapeOf(part, f, seen);
    for (const [k, v] of inner.props) out.props.set(k, v);
    out.open ||= inner.open;
    out.additional ??= inner.additional;
    out.required.push(...inner.required);
  }
  if (!node.properties && !node.allOf && !node.additionalProperties && node["type"] !== "object")
    out.open = true;
  if (node["type"] === "object" && !node.properties && !node.allOf && node.additionalProperties === undefined)
    out.open = true;
  return out;
}

/** Paths of fields in `value` that the schema does not define (and missing required ones). */
export function checkAgainst(
  value: unknown,
  schema: { node: Schema; file: string },
  path: string,
  opts: { requireRequired: boolean },
): string[] {
  const { node, file } = deref(schema.node, schema.file);
  if (Array.isArray(value)) {
    if (!node.items) return [];
    return value.flatMap((v, i) =>
      checkAgainst(v, { node: node.items as Schema, file }, `${path}[${i}]`, opts),
    );
  }
  if (!value || typeof value !== "object") return [];
  const shape = shapeOf(node, file);
  const problems: string[] = [];
  if (opts.requireRequired) {
    for (const r of shape.required)
      if ((value as Json)[r] === undefined) problems.push(`missing required ${path}.${r}`);
  }
  for (const [k, v] of Object.entries(value as Json)) {
    const prop = shape.props.get(k);
    if (prop) problems.push(...checkAgainst(v, prop, `${path}.${k}`, opts));
    else if (shape.additional) problems.push(...checkAgainst(v, shape.additional, `${path}.${k}`, opts));
    else if (!shape.open) problems.push(`unknown field ${path}.${k}`);
  }
  return problems;
}

/** ../shared/oracles/arm-specs/specification relative to the repo root, when present. */
export function armSpecRoot(): string | undefined {
  const root = resolve(
    dirname(new URL(import.meta.url).pathname),
    "../../../shared/oracles/arm-specs/specification",
  );
  return existsSync(root) ? root : undefined;
}
