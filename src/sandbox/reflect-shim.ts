/**
 * @peculiar/x509 loads tsyringe, which refuses to start without the Reflect metadata API
 * (normally from the reflect-metadata package). This tiny, scoped implementation of the three
 * functions it uses avoids a dependency. Imported before @peculiar/x509 for its side effect.
 */
type MetaTarget = object;
const store = new WeakMap<MetaTarget, Map<string | symbol | undefined, Map<unknown, unknown>>>();

function table(target: MetaTarget, prop: string | symbol | undefined): Map<unknown, unknown> {
  let byProp = store.get(target);
  if (!byProp) store.set(target, (byProp = new Map()));
  let t = byProp.get(prop);
  if (!t) byProp.set(prop, (t = new Map()));
  return t;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R["getMetadata"] !== "function") {
  R["defineMetadata"] = (key: unknown, value: unknown, target: MetaTarget, prop?: string | symbol) => {
    table(target, prop).set(key, value);
  };
  R["getOwnMetadata"] = (key: unknown, target: MetaTarget, prop?: string | symbol) =>
    table(target, prop).get(key);
  R["getMetadata"] = (key: unknown, target: MetaTarget, prop?: string | symbol): unknown => {
    for (let t: MetaTarget | null = target; t; t = Object.getPrototypeOf(t) as MetaTarget | null) {
      const v = table(t, prop).get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  R["hasMetadata"] = (key: unknown, target: MetaTarget, prop?: string | symbol) =>
    (R["getMetadata"] as (k: unknown, t: MetaTarget, p?: string | symbol) => unknown)(key, target, prop) !==
    undefined;
  R["metadata"] = (key: unknown, value: unknown) => (target: MetaTarget, prop?: string | symbol) => {
    table(target, prop).set(key, value);
  };
}

export {};
