import { findOrganizationGroup, isGroupMember, organizationMembers } from "../directory.js";
import type { DevopsState, IdentityRef } from "../state.js";

/**
 * Who may answer a gate: an approver named directly (user id, unique name or display name) or
 * a member of a group named as approver (group id or `[scope]\name`). Membership comes from
 * the sandbox directory (directory.ts, `isGroupMember`).
 */
export function isApprover(state: DevopsState, approver: string, who: IdentityRef): boolean {
  const key = approver.trim().toLowerCase();
  if (!key) return false;
  if ([who.id, who.uniqueName, who.displayName].some((v) => v.toLowerCase() === key)) return true;
  const group = findOrganizationGroup(state, key);
  return group !== undefined && isGroupMember(group, who);
}

export const isAmongApprovers = (state: DevopsState, approvers: readonly string[], who: IdentityRef) =>
  approvers.some((a) => isApprover(state, a, who));

/** A readable name for an approver id: the group's `[scope]\name`, the user's unique name, or the id. */
export function approverName(state: DevopsState, id: string): IdentityRef {
  const group = findOrganizationGroup(state, id);
  if (group) return { id: group.id, displayName: group.principalName, uniqueName: group.principalName };
  const user = organizationMembers(state).find((m) => m.id === id.toLowerCase() || m.id === id);
  return user ?? { id, displayName: id, uniqueName: id };
}
