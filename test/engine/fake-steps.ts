import type { Change, Step, StepContext } from "../../src/engine/types.js";

/** A controllable in-memory step: records calls, and can block until released. */
export interface FakeStep extends Step<{ value: number }> {
  readonly calls: string[];
}

export interface FakeOptions {
  dependsOn?: string[];
  /** Observed value; undefined = absent (create). Equal to `want` = noop. */
  have?: number;
  want?: number;
  failOn?: "detect" | "apply";
  /** Awaited inside apply (before finishing) so tests can hold steps running. */
  gate?: (ctx: StepContext) => Promise<void>;
  log?: string[];
}

export function fakeStep(id: string, o: FakeOptions = {}): FakeStep {
  const calls: string[] = [];
  const want = o.want ?? 1;
  return {
    id,
    title: `Fake ${id}`,
    group: "azure",
    dependsOn: o.dependsOn ?? [],
    calls,
    async detect() {
      calls.push("detect");
      o.log?.push(`detect:${id}`);
      if (o.failOn === "detect") throw new Error(`${id} detect exploded`);
      return o.have === undefined ? undefined : { value: o.have };
    },
    diff(observed): Change {
      if (!observed) return { kind: "create" };
      if (observed.value === want) return { kind: "noop" };
      return { kind: "update", fields: [{ field: "value", from: observed.value, to: want }] };
    },
    async apply(_change, _observed, ctx) {
      calls.push("apply");
      o.log?.push(`apply-start:${id}`);
      if (o.gate) await o.gate(ctx);
      if (o.failOn === "apply") throw new Error(`${id} apply exploded`);
      o.log?.push(`apply-end:${id}`);
      return { value: want };
    },
  };
}

/** A promise with its resolve exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves when `cond()` holds; rejects after `ms` (a deadline, not a sleep). */
export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met before the deadline");
    await new Promise((r) => setImmediate(r));
  }
}
