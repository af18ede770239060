import { describe, expect, it } from "vitest";
import { SEEDED_USERS } from "../directory.js";
import type { DevopsState, IdentityRef } from "../state.js";
import { approverName, isAmongApprovers, isApprover } from "./approvers.js";

const state = {
  organization: "sandbox-org",
  organizationId: "0f1e2d3c-4b5a-4968-8776-655443322110",
  projects: { p: { id: "3c2b1a09-8f7e-4d6c-9b5a-493827160544", name: "demo", state: "wellFormed" } },
} as unknown as DevopsState;

const [alex, megan, lee] = SEEDED_USERS as [IdentityRef, IdentityRef, IdentityRef];
const operator: IdentityRef = {
  id: "e2d5b625-d356-4687-9736-03f06af6cd39",
  displayName: "sp",
  uniqueName: "sp",
};

describe("who may answer a gate", () => {
  it("a user named by id, mail or display name (any case)", () => {
    expect(isApprover(state, megan.id, megan)).toBe(true);
    expect(isApprover(state, "MEGAN@sandbox.onmicrosoft.com", megan)).toBe(true);
    expect(isApprover(state, "Megan Bowen", megan)).toBe(true);
    expect(isApprover(state, megan.id, alex)).toBe(false);
  });

  it("members of a group named by id or [scope]\\name; the operator is an admin, not a release manager", () => {
    const rm = "[demo]\\Release Managers";
    const rmId = approverName(state, rm).id;
    expect(approverName(state, rmId).displayName).toBe(rm);
    expect([alex, megan, lee, operator].map((u) => isApprover(state, rmId, u))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([alex, lee, operator].map((u) => isApprover(state, "[demo]\\Project Administrators", u))).toEqual([
      false,
      false,
      true,
    ]);
    expect(isApprover(state, "[demo]\\Readers", lee)).toBe(true);
    expect(isApprover(state, "[other]\\Release Managers", megan)).toBe(false);
  });

  it("among a list: any one of them", () => {
    expect(isAmongApprovers(state, ["lee@sandbox.onmicrosoft.com", "[demo]\\Release Managers"], alex)).toBe(
      true,
    );
    expect(isAmongApprovers(state, ["lee@sandbox.onmicrosoft.com"], operator)).toBe(false);
    expect(isAmongApprovers(state, [], operator)).toBe(false);
  });
});
