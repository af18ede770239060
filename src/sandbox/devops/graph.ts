import type { Ctx } from "./context.js";
import { list } from "./context.js";
import { organizationGroups, organizationUsers } from "./directory.js";
import type { Route } from "./router.js";

/** `GET _apis/graph/users`: the organization's users as Graph subjects (Entra ID origin). */
function listUsers(ctx: Ctx) {
  return list(
    organizationUsers(ctx.state).map((u) => {
      const descriptor = `aad.${Buffer.from(u.id).toString("base64url")}`;
      return {
        subjectKind: "user",
        metaType: "member",
        directoryAlias: u.uniqueName.split("@")[0],
        domain: ctx.opts.tenantId ?? "",
        principalName: u.uniqueName,
        mailAddress: u.uniqueName,
        origin: "aad",
        originId: u.id,
        displayName: u.displayName,
        url: `${ctx.orgUrl}/_apis/Graph/Users/${descriptor}`,
        descriptor,
      };
    }),
  );
}

/** `GET _apis/graph/groups`: organization and project groups (Azure DevOps origin). */
function listGroups(ctx: Ctx) {
  return list(
    organizationGroups(ctx.state).map((g) => {
      const descriptor = `vssgp.${Buffer.from(g.id).toString("base64url")}`;
      return {
        subjectKind: "group",
        description: `Members of ${g.displayName} in ${g.scopeName}`,
        domain: g.domain,
        principalName: g.principalName,
        mailAddress: null,
        origin: "vsts",
        originId: g.id,
        displayName: g.displayName,
        url: `${ctx.orgUrl}/_apis/Graph/Groups/${descriptor}`,
        descriptor,
      };
    }),
  );
}

export const graphRoutes: Route[] = [
  {
    id: "005e26ec-6b77-4e4f-a986-b3827bf241f5",
    area: "Graph",
    resource: "Users",
    template: "_apis/Graph/Users/{userDescriptor}",
    resourceVersion: 1,
    methods: { GET: listUsers },
  },
  {
    id: "ebbe6af8-0b91-4c13-8cf1-777c14858188",
    area: "Graph",
    resource: "Groups",
    template: "_apis/Graph/Groups/{groupDescriptor}",
    resourceVersion: 1,
    methods: { GET: listGroups },
  },
];
