import { describe, expect, it } from "vitest";
import { renderPlanText } from "../../src/ui/plan-text.js";
import { planScript } from "./fixtures.js";

describe("renderPlanText", () => {
  it("groups changes by create / update / unchanged with field-level diffs", () => {
    const text = renderPlanText(planScript().events, { color: false, columns: 80 });
    expect(text.split("\n").slice(0, 5)).toEqual([
      "Plan: 2 to create, 2 to update, 3 unchanged",
      "",
      "To create (2)",
      "  + create AKS cluster aks-demo-staging",
      "  + create Pipeline demo-ci",
    ]);
    expect(text).toContain(
      "  ~ update Container registry crdemononprod1a2b\n      adminUserEnabled: true -> false",
    );
    expect(text).toContain('      .azure-pipelines/ci.yml: "hash 1a2b" -> "hash 3c4d"');
    expect(text).toContain("Unchanged (3)\n  = unchanged Signed-in credential");
  });

  it("says 'no changes' when everything is unchanged, and can hide the unchanged list", () => {
    const text = renderPlanText(
      [{ stepId: "a", title: "Resource group rg-x", group: "azure", change: { kind: "noop" } }],
      { color: false, showUnchanged: false },
    );
    expect(text).toBe("Plan: no changes (1 unchanged)\n\nUnchanged (1)");
  });

  it("says the plan is incomplete, not 'no changes', when steps could not be planned", () => {
    const entries = [
      {
        stepId: "a",
        title: "Resource group rg-x",
        group: "azure" as const,
        change: { kind: "noop" as const },
      },
    ];
    const text = renderPlanText(entries, { color: false, showUnchanged: false, notPlanned: 2 });
    expect(text.split("\n")[0]).toBe("Plan incomplete (2 not planned), so far: no changes (1 unchanged)");
    expect(text).not.toMatch(/^Plan: no changes/);
    expect(renderPlanText(entries, { color: false, notPlanned: 1 }).split("\n")[0]).toBe(
      "Plan incomplete (1 not planned), so far: no changes (1 unchanged)",
    );
  });

  it("keeps every line within the given width and adds colour only when asked", () => {
    const long = {
      stepId: "b",
      title: "x".repeat(200),
      group: "azure" as const,
      change: { kind: "update" as const, fields: [{ field: "tags", from: { a: "1".repeat(90) }, to: {} }] },
    };
    const plain = renderPlanText([long], { color: false, columns: 40 });
    for (const line of plain.split("\n")) expect([...line].length).toBeLessThanOrEqual(40);
    expect(plain).not.toContain("\u001b[");
    expect(renderPlanText(planScript().events, { color: true })).toContain("\u001b[32m+ create");
  });

  it("with many unchanged objects, lists only those with a note and counts the rest", () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({
      stepId: `s${i}`,
      title: `Object ${i}`,
      group: "azure" as const,
      change:
        i === 7 ? { kind: "noop" as const, notes: ["edited by a user: kept"] } : { kind: "noop" as const },
    }));
    const text = renderPlanText(entries, { color: false });
    expect(text).toBe(
      "Plan: no changes (20 unchanged)\n\nUnchanged (20)\n  = unchanged Object 7\n      note: edited by a user: kept\n  = 19 more unchanged",
    );
    expect(renderPlanText(entries, { color: false, showUnchanged: true }).split("\n")).toHaveLength(24);
  });
});
