import type { Ctx } from "./context.js";
import { list, ok } from "./context.js";
import type { Route } from "./router.js";
import { MAX_VERSION, RELEASED_VERSION } from "./versions.js";

/**
 * Resource areas the client library resolves before building any API client
 * (`WebApi._getResourceAreaUrl`): id -> name. All are served by this one host.
 * Ids are the ones azure-devops-node-api hard-codes (pipelines reuses the work item
 * tracking process id there, so that id must be present too).
 */
const RESOURCE_AREAS: readonly { id: string; name: string }[] = [
  { id: "79134c72-4a58-4b42-976c-04e7115f32bf", name: "core" },
  { id: "4e080c62-fa21-4fbc-8fef-2a10a2b38049", name: "git" },
  { id: "965220d5-5bb9-42cf-8d67-9b146df2a5a4", name: "build" },
  { id: "fb13a388-40dd-4a04-b530-013a739c72ef", name: "policy" },
  { id: "1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7", name: "serviceendpoint" },
  { id: "a85b8835-c1a1-4aac-ae97-1c3d0ba72dbd", name: "distributedtask" },
  { id: "5264459e-e5e0-4bd8-b118-0985e68a4ec5", name: "wit" },
  { id: "2e0bf237-8973-4ec9-a581-9c3d679d1776", name: "pipelines" },
  { id: "8ccfef3d-2b87-4e99-8ccb-66e343d2daa8", name: "profile" },
];

/**
 * `OPTIONS {org}/_apis/{area}`: the resource locations of one area (azure-devops-node-api);
 * `OPTIONS {org}/_apis` (area undefined): all of them (the Python azure-devops client).
 */
export function areaLocations(routes: readonly Route[], area: string | undefined): ReturnType<typeof list> {
  const value = routes
    .filter((r) => area === undefined || r.area.toLowerCase() === area.toLowerCase())
    .map((r) => ({
      id: r.id,
      area: r.area,
      resourceName: r.resource,
      routeTemplate: r.template,
      resourceVersion: r.resourceVersion,
      minVersion: "1.0",
      maxVersion: MAX_VERSION,
      releasedVersion: RELEASED_VERSION,
    }));
  return list(value);
}

export function resourceAreas(ctx: Ctx): ReturnType<typeof list> {
  return list(RESOURCE_AREAS.map((a) => ({ id: a.id, name: a.name, locationUrl: `${ctx.orgUrl}/` })));
}

/** `_apis/connectionData`: who is calling, and where this organization lives. */
export function connectionData(ctx: Ctx): ReturnType<typeof ok> {
  const who = ctx.identity;
  const user = {
    id: who.id,
    descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${who.uniqueName}`,
    subjectDescriptor: `aad.${Buffer.from(who.id).toString("base64url")}`,
    providerDisplayName: who.displayName,
    isActive: true,
    properties: { Account: { $type: "System.String", $value: who.uniqueName } },
    resourceVersion: 2,
    metaTypeId: 0,
  };
  return ok({
    authenticatedUser: user,
    authorizedUser: user,
    instanceId: ctx.state.organizationId,
    deploymentId: ctx.state.organizationId,
    deploymentType: "hosted",
    locationServiceData: {
      serviceOwner: "00025394-6065-48ca-87d9-7f5672854ef7",
      defaultAccessMappingMoniker: "PublicAccessMapping",
      lastChangeId: 1,
      lastChangeId64: 1,
    },
  });
}
