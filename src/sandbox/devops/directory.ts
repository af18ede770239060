import { createHash } from "node:crypto";
import type { DevopsState, IdentityRef } from "./state.js";

/** The sandbox tenant's domain (the one ARM's tenants list names). */
export const SANDBOX_DOMAIN = "sandbox.onmicrosoft.com";

/**
 * Users every emulated organization has besides whoever signs in, so approvers can be tried:
 * a real organization has its team in it.
 */
export const SEEDED_USERS: readonly IdentityRef[] = [
  {
    id: "5b1f0a8e-2c4d-4e6f-8a1b-3c5d7e9f0a11",
    displayName: "Alex Wilber",
    uniqueName: `alex@${SANDBOX_DOMAIN}`,
  },
  {
    id: "6c2a1b9f-3d5e-4f70-9b2c-4d6e8f0a1b22",
    displayName: "Megan Bowen",
    uniqueName: `megan@${SANDBOX_DOMAIN}`,
  },
  { id: "7d3b2c0a-4e6f-4081-8c3d-5e7f9a1b2c33", displayName: "Lee Gu", uniqueName: `lee@${SANDBOX_DOMAIN}` },
];

/**
 * The groups Azure DevOps creates with every project, plus "Release Managers", which the sandbox
 * adds to each project (as a team would) so a group can be named as approver.
 */
export const PROJECT_GROUPS = [
  "Project Administrators",
  "Build Administrators",
  "Contributors",
  "Readers",
  "Project Valid Users",
  "Release Managers",
] as const;

/** Organization-level groups ("[Org]\Group"). */
export const ORGANIZATION_GROUPS = [
  "Project Collection Administrators",
  "Project Collection Valid Users",
] as const;

/** An Azure DevOps security group: `[scope]\name`, scoped to a project or to the organization. */
export interface GroupRecord {
  readonly id: string;
  /** "[demo]\Release Managers" */
  readonly principalName: string;
  readonly displayName: string;
  /** vstfs:///Classification/TeamProject/{projectId} or vstfs:///Framework/IdentityDomain/{orgId} */
  readonly domain: string;
  readonly scopeName: string;
}

/** A stable GUID from text, so a group keeps its id across requests and restarts. */
function guidOf(text: string): string {
  const h = createHash("sha1").update(text).digest("hex");
  const variant = ((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Users of the organization: the seeded team plus everyone who signed in with a user name. */
export function organizationUsers(state: DevopsState): IdentityRef[] {
  const byId = new Map<string, IdentityRef>(SEEDED_USERS.map((u) => [u.id, u]));
  for (const m of Object.values(state.members ?? {})) if (m.uniqueName.includes("@")) byId.set(m.id, m);
  return [...byId.values()];
}

/** Everyone the identity service knows: users, plus service principals that signed in. */
export function organizationMembers(state: DevopsState): IdentityRef[] {
  const byId = new Map<string, IdentityRef>(SEEDED_USERS.map((u) => [u.id, u]));
  for (const m of Object.values(state.members ?? {})) byId.set(m.id, m);
  return [...byId.values()];
}

/** The organization's groups and those of each project that finished creating. */
export function organizationGroups(state: DevopsState): GroupRecord[] {
  const org = ORGANIZATION_GROUPS.map((name) => ({
    id: guidOf(`${state.organizationId}/${name}`),
    principalName: `[${state.organization}]\\${name}`,
    displayName: name,
    domain: `vstfs:///Framework/IdentityDomain/${state.organizationId}`,
    scopeName: state.organization,
  }));
  const projects = Object.values(state.projects)
    .filter((p) => p.state === "wellFormed")
    .flatMap((p) =>
      PROJECT_GROUPS.map((name) => ({
        id: guidOf(`${p.id}/${name}`),
        principalName: `[${p.name}]\\${name}`,
        displayName: name,
        domain: `vstfs:///Classification/TeamProject/${p.id}`,
        scopeName: p.name,
      })),
    );
  return [...org, ...projects];
}

/**
 * Who is in which group (the sandbox's own choice; a real organization's admins decide it):
 * the seeded team is in `Release Managers` (Alex, Megan), `Readers` (Lee) and `Contributors`
 * (all three); anyone else who signs in (the sandbox's operator: its service principal or PAT
 * user) is in `Project Administrators`, `Build Administrators`, `Contributors` and
 * `Project Collection Administrators`, but not in `Release Managers`. Everyone is in the
 * `... Valid Users` groups.
 */
const SEEDED_MEMBERSHIP: Readonly<Record<string, readonly string[]>> = {
  "Release Managers": [`alex@${SANDBOX_DOMAIN}`, `megan@${SANDBOX_DOMAIN}`],
  Readers: [`lee@${SANDBOX_DOMAIN}`],
  Contributors: SEEDED_USERS.map((u) => u.uniqueName),
};
const OPERATOR_GROUPS = new Set([
  "Project Administrators",
  "Build Administrators",
  "Contributors",
  "Project Collection Administrators",
]);
const EVERYONE_GROUPS = new Set(["Project Valid Users", "Project Collection Valid Users"]);

export function isGroupMember(group: GroupRecord, who: IdentityRef): boolean {
  if (EVERYONE_GROUPS.has(group.displayName)) return true;
  const seeded = SEEDED_USERS.find((u) => u.id === who.id);
  if (!seeded) return OPERATOR_GROUPS.has(group.displayName);
  return (SEEDED_MEMBERSHIP[group.displayName] ?? []).includes(seeded.uniqueName);
}

/** A group by id, or by `[scope]\name` (case-insensitive). */
export function findOrganizationGroup(state: DevopsState, idOrName: string): GroupRecord | undefined {
  const key = idOrName.toLowerCase();
  return organizationGroups(state).find((g) => g.id === key || g.principalName.toLowerCase() === key);
}
