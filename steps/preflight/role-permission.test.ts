import { describe, expect, it } from "vitest";
import { allows } from "./role-permission.js";

describe("allows (Microsoft.Authorization/roleAssignments/write)", () => {
  it.each([
    ["Owner", [{ actions: ["*"] }], true],
    [
      "User Access Administrator",
      [{ actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"] }],
      true,
    ],
    ["RBAC Administrator", [{ actions: ["Microsoft.Authorization/roleAssignments/write"] }], true],
    [
      "Contributor",
      [
        {
          actions: ["*"],
          notActions: ["Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"],
        },
      ],
      false,
    ],
    ["Reader", [{ actions: ["*/read"] }], false],
    ["nothing", [], false],
  ])("%s -> %s", (_name, perms, expected) => {
    expect(allows(perms)).toBe(expected);
  });
});
