/**
 * kubernetes-models validates types, enums and required fields but lets unknown fields through
 * (its schemas have no additionalProperties: false). The compiled validator reads every field it
 * knows, so validating a recording proxy and listing the keys it never read finds unknown fields.
 */
export type SchemaValidate = (data: unknown) => boolean;

export function unknownFields(validate: SchemaValidate, data: unknown): string[] {
  const read = new Set<string>();
  const wrap = (value: unknown, path: string): unknown => {
    if (!value || typeof value !== "object") return value;
    return new Proxy(value as object, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== "string") return v;
        const child = Array.isArray(target) ? `${path}[${key}]` : `${path}.${key}`;
        if (!Array.isArray(target) || /^\d+$/.test(key)) read.add(child);
        return wrap(v, child);
      },
    });
  };
  validate(wrap(data, "$"));
  const out: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (!value || typeof value !== "object") return;
    for (const [k, v] of Object.entries(value)) {
      const child = Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`;
      if (!read.has(child)) out.push(child);
      else walk(v, child);
    }
  };
  walk(data, "$");
  return out;
}
