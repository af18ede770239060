import { describe, expect, it } from "vitest";
import { destroyRun } from "../../src/engine/runner.js";
import type { Step } from "../../src/engine/types.js";

/** An in-memory "cloud": objects by id, with an owner tag. */
function world(objects: Record<string, "ours" | "theirs">) {
  const live = new Map(Object.entries(objects));
  const log: string[] = [];
  const step = (id: string, dependsOn: string[] = [], containedIn?: string): Step<{ owner: string }> => ({
    id,
    title: id,
    group: "azure",
    dependsOn,
    async detect() {
      const owner = live.get(id);
      return owner ? { owner } : undefined;
    },
    diff: () => ({ kind: "noop" }),
    async apply() {},
    teardown: {
      owned: (o) => o.owner === "ours",
      async remove() {
        log.push(id);
        live.delete(id);
        if (containedIn === undefined) for (const [k] of live) if (k.startsWith(`${id}/`)) live.delete(k);
      },
      ...(containedIn ? { containedIn } : {}),
    },
  });
  return { live, log, step };
}

describe("destroy", () => {
  it("removes only what aks-bootstrap created, dependents first, and a second run is a no-op", async () => {
    // Given a group (ours) holding a registry (ours); a role (ours) on the registry; a vault (not ours)
    const w = world({ rg: "ours", role: "ours", other: "theirs", app: "ours" });
    const steps = [w.step("rg"), w.step("app", ["rg"]), w.step("role", ["app"]), w.step("other", ["rg"])];
    // When destroyed
    const first = await destroyRun(steps);
    // Then dependents went before what they depend on, and the foreign object stays
    expect(first.outcome).toBe("succeeded");
    expect(w.log).toEqual(["role", "app", "rg"]);
    expect([...w.live.keys()]).toEqual(["other"]);
    expect(first.changes.get("other")).toMatchObject({
      kind: "noop",
      notes: ["kept: not created by aks-bootstrap"],
    });
    // And destroying again changes nothing
    const second = await destroyRun(steps);
    expect([...second.changes.values()].every((c) => c.kind === "noop")).toBe(true);
    expect(w.log).toEqual(["role", "app", "rg"]);
  });

  it("lets a container take its contents with it instead of deleting them one by one", async () => {
    const w = world({ rg: "ours", "rg/registry": "ours" });
    const steps = [w.step("rg"), w.step("rg/registry", ["rg"], "rg")];
    const result = await destroyRun(steps);
    expect(w.log).toEqual(["rg"]);
    expect(result.changes.get("rg/registry")).toMatchObject({ kind: "delete", summary: "with rg" });
    expect(w.live.size).toBe(0);
  });

  it("plans without removing anything when asked for the inventory only", async () => {
    const w = world({ rg: "ours" });
    const plan = await destroyRun([w.step("rg")], { planOnly: true });
    expect(plan.changes.get("rg")?.kind).toBe("delete");
    expect(w.log).toEqual([]);
    await destroyRun([w.step("rg")], { plan });
    expect(w.log).toEqual(["rg"]);
  });
});

describe("destroy notes", () => {
  it("keeps a contained object's note, and reports an object already gone without deleting it", async () => {
    const w = world({ rg: "ours", "rg/vault": "ours" });
    const vault = w.step("rg/vault", ["rg"], "rg");
    const noted = { ...vault, teardown: { ...vault.teardown!, note: "soft-deleted, not purged" } };
    const plan = await destroyRun([w.step("rg"), noted], { planOnly: true });
    expect(plan.changes.get("rg/vault")).toMatchObject({
      kind: "delete",
      notes: ["soft-deleted, not purged"],
    });

    const lone = w.step("rg/vault");
    const gone = { ...lone, teardown: { ...lone.teardown!, gone: () => "already soft-deleted" } };
    const second = await destroyRun([gone], { planOnly: true });
    expect(second.changes.get("rg/vault")).toEqual({ kind: "noop", notes: ["already soft-deleted"] });
  });
});
