import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { roleAssignmentName } from "./role-assignments.js";

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("roleAssignmentName", () => {
  it("is a version-5-style GUID, the same for the same scope, principal and role", () => {
    fc.assert(
      fc.property(fc.string(), fc.uuid(), fc.uuid(), (scope, principal, role) => {
        const name = roleAssignmentName(scope, principal, role);
        expect(name).toMatch(UUID_V5);
        expect(roleAssignmentName(scope.toUpperCase(), principal.toUpperCase(), role)).toBe(
          roleAssignmentName(scope.toLowerCase(), principal, role),
        );
      }),
    );
  });

  it("differs when any of scope, principal or role differs", () => {
    const base = roleAssignmentName("/subscriptions/s/rg/x", "p", "r");
    expect(roleAssignmentName("/subscriptions/s/rg/y", "p", "r")).not.toBe(base);
    expect(roleAssignmentName("/subscriptions/s/rg/x", "q", "r")).not.toBe(base);
    expect(roleAssignmentName("/subscriptions/s/rg/x", "p", "s")).not.toBe(base);
  });
});
