import type { Ctx } from "./context.js";
import { list, query } from "./context.js";
import type { DevopsState, IdentityRef } from "./state.js";
import type { Route } from "./router.js";

/** Records a signed-in identity as a member of the organization (what the service knows of users). */
export function rememberMember(state: DevopsState, who: IdentityRef): boolean {
  state.members ??= {};
  const known = state.members[who.id];
  if (known && known.displayName === who.displayName && known.uniqueName === who.uniqueName) return false;
  state.members[who.id] = { ...who };
  return true;
}

function identityJson(who: IdentityRef) {
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

/**
 * `GET _apis/identities?searchFilter=General&filterValue=x` (or `identityIds=`): looks members
 * up by mail, account or display name, case-insensitively, as the identity service does.
 */
function readIdentities(ctx: Ctx) {
  const members = Object.values(ctx.state.members ?? {});
  const ids = query(ctx, "identityIds")?.toLowerCase().split(",").filter(Boolean);
  if (ids) return list(members.filter((m) => ids.includes(m.id.toLowerCase())).map(identityJson));
  const value = query(ctx, "filterValue")?.toLowerCase();
  const filter = (query(ctx, "searchFilter") ?? "General").toLowerCase();
  if (!value) return list([]);
  const match = (m: IdentityRef) =>
    filter === "displayname"
      ? m.displayName.toLowerCase() === value
      : m.uniqueName.toLowerCase() === value || m.displayName.toLowerCase() === value;
  return list(members.filter(match).map(identityJson));
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
