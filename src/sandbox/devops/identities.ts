import type { Ctx } from "./context.js";
import { list, query } from "./context.js";
import type { DevopsState, IdentityRef } from "./state.js";
import type { Route } from "./router.js";
import { organizationGroups, organizationMembers, type GroupRecord } from "./directory.js";

/** Records a signed-in identity as a member of the organization (what the service knows of users). */
export function rememberMember(state: DevopsState, who: IdentityRef): boolean {
  state.members ??= {};
  const known = state.members[who.id];
  if (known && known.displayName === who.displayName && known.uniqueName === who.uniqueName) return false;
  state.members[who.id] = { ...who };
  return true;
}

function userJson(who: IdentityRef) {
  return {
    id: who.id,
    descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${who.uniqueName}`,
    subjectDescriptor: `aad.${Buffer.from(who.id).toString("base64url")}`,
    providerDisplayName: who.displayName,
    isActive: true,
    members: [],
    memberOf: [],
    memberIds: [],
    properties: {
      SchemaClassName: { $type: "System.String", $value: "User" },
      Description: { $type: "System.String", $value: "" },
      Domain: { $type: "System.String", $value: "AzureDirectory" },
      Account: { $type: "System.String", $value: who.uniqueName },
      Mail: { $type: "System.String", $value: who.uniqueName },
    },
    resourceVersion: 2,
    metaTypeId: 0,
  };
}

/** A group as the identity service answers it: a container whose account name is `[scope]\Group`. */
function groupJson(g: GroupRecord) {
  const text = (value: string) => ({ $type: "System.String", $value: value });
  return {
    id: g.id,
    descriptor: `Microsoft.TeamFoundation.Identity;S-1-9-1551374245-${g.id}`,
    subjectDescriptor: `vssgp.${Buffer.from(g.id).toString("base64url")}`,
    providerDisplayName: g.principalName,
    isActive: true,
    isContainer: true,
    members: [],
    memberOf: [],
    memberIds: [],
    properties: {
      SchemaClassName: text("Group"),
      Description: text(`Members of ${g.displayName} in ${g.scopeName}`),
      Domain: text(g.domain),
      Account: text(g.principalName),
      SecurityGroup: text("SecurityGroup"),
      SpecialType: text("Generic"),
      ScopeName: text(g.scopeName),
    },
    resourceVersion: 2,
    metaTypeId: 255,
  };
}

/**
 * `GET _apis/identities?searchFilter=General&filterValue=x` (or `identityIds=`): looks users up
 * by mail, account or display name and groups by their account name (`[Project]\Group`),
 * case-insensitively, as the identity service does.
 */
function readIdentities(ctx: Ctx) {
  const users = organizationMembers(ctx.state);
  const groups = organizationGroups(ctx.state);
  const ids = query(ctx, "identityIds")?.toLowerCase().split(",").filter(Boolean);
  if (ids) {
    return list([
      ...users.filter((m) => ids.includes(m.id.toLowerCase())).map(userJson),
      ...groups.filter((g) => ids.includes(g.id)).map(groupJson),
    ]);
  }
  const value = query(ctx, "filterValue")?.toLowerCase();
  const filter = (query(ctx, "searchFilter") ?? "General").toLowerCase();
  if (!value) return list([]);
  const match = (m: IdentityRef) =>
    filter === "displayname"
      ? m.displayName.toLowerCase() === value
      : m.uniqueName.toLowerCase() === value || m.displayName.toLowerCase() === value;
  const groupMatch = (g: GroupRecord) =>
    ["general", "accountname", "localgroupname", "displayname"].includes(filter) &&
    g.principalName.toLowerCase() === value;
  return list([
    ...(filter === "localgroupname" ? [] : users.filter(match).map(userJson)),
    ...groups.filter(groupMatch).map(groupJson),
  ]);
}

export const identityRoutes: Route[] = [
  {
    id: "28010c54-d0c0-4c89-a5b0-1c9e188b9fb7",
    area: "IMS",
    resource: "Identities",
    template: "_apis/identities/{identityId}",
    resourceVersion: 1,
    methods: { GET: readIdentities },
  },
];
