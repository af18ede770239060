import { randomUUID } from "node:crypto";
import type { Ctx } from "./context.js";
import { bodyObject, identityJson, list, noContent, obj, ok, query, str } from "./context.js";
import { errors } from "./errors.js";
import { findProject } from "./core.js";
import { DEVOPS_AUDIENCE } from "./auth.js";
import { GUID, isValidDisplayName } from "./names.js";
import type { Route } from "./router.js";
import type { ServiceEndpointRecord } from "./state.js";

/**
 * Service connections. Supported (type, scheme) pairs are the ones the service accepts without
 * creating anything in Entra for the caller; "Automatic" creation (the service registering an
 * app) is refused. Secret parameters are never stored: they come back as null, as the service
 * returns them.
 */
interface SchemeRule {
  readonly required: readonly string[];
  readonly secrets: readonly string[];
}
const SCHEMES: Record<string, Record<string, SchemeRule>> = {
  azurerm: {
    workloadidentityfederation: { required: ["tenantid", "serviceprincipalid"], secrets: [] },
    serviceprincipal: {
      required: ["tenantid", "serviceprincipalid", "authenticationType"],
      secrets: ["serviceprincipalkey", "servicePrincipalCertificate"],
    },
    managedserviceidentity: { required: ["tenantid"], secrets: [] },
  },
  dockerregistry: {
    usernamepassword: { required: ["registry", "username"], secrets: ["password"] },
    serviceprincipal: {
      required: ["loginServer", "servicePrincipalId", "tenantId"],
      secrets: ["servicePrincipalKey"],
    },
    workloadidentityfederation: { required: ["loginServer", "serviceprincipalid", "tenantid"], secrets: [] },
  },
  kubernetes: {
    kubernetes: { required: ["clusterContext"], secrets: ["kubeconfig"] },
    token: { required: ["apitoken"], secrets: ["apitoken", "serviceAccountCertificate"] },
  },
  generic: { usernamepassword: { required: [], secrets: ["password"] }, none: { required: [], secrets: [] } },
};

const WIF_PARAMS = [
  "workloadIdentityFederationIssuer",
  "workloadIdentityFederationSubject",
  "workloadIdentityFederationIssuerType",
];

function guidBase64Url(guid: string): string {
  // .NET Guid byte order (first three groups little-endian), as Entra encodes it.
  const hex = guid.replace(/-/g, "");
  const b = Buffer.from(hex, "hex");
  const le = Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
  return le.toString("base64url");
}

/**
 * The federation issuer/subject the service fills in. Azure DevOps now issues Entra ID tokens:
 * issuer https://login.microsoftonline.com/{tenant}/v2.0 and subject
 * /eid1/c/pub/t/{tenant}/a/{Azure DevOps app id}/sc/{organization id}/{connection id}
 * (ids base64url-encoded), replacing the older vstoken.dev.azure.com + sc://org/project/name pair.
 */
function federation(tenantId: string, organizationId: string, endpointId: string): Record<string, string> {
  return {
    workloadIdentityFederationIssuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
    workloadIdentityFederationIssuerType: "EntraID",
    workloadIdentityFederationSubject: `/eid1/c/pub/t/${guidBase64Url(tenantId)}/a/${guidBase64Url(DEVOPS_AUDIENCE)}/sc/${organizationId}/${endpointId}`,
  };
}

function endpointJson(ctx: Ctx, e: ServiceEndpointRecord): Record<string, unknown> {
  const parameters: Record<string, string | null> = { ...e.authorization.parameters };
  for (const s of e.secretParameterNames) parameters[s] = null;
  return {
    data: e.data,
    id: e.id,
    name: e.name,
    type: e.type,
    url: e.url,
    createdBy: identityJson(ctx, e.createdBy),
    description: e.description,
    authorization: { parameters, scheme: e.authorization.scheme },
    isShared: e.isShared,
    isReady: true,
    isOutdated: false,
    operationStatus: { state: "Ready", statusMessage: "" },
    owner: e.owner,
    serviceEndpointProjectReferences: e.projectReferences.map((r) => ({
      projectReference: { id: r.projectId, name: ctx.state.projects[r.projectId]?.name ?? r.projectId },
      name: r.name,
      description: r.description,
    })),
  };
}

function ruleFor(type: string, scheme: string): SchemeRule | undefined {
  return SCHEMES[type.toLowerCase()]?.[scheme.toLowerCase()];
}

/** Validates and normalises a create/update body into a record (without id/createdBy). */
function parseEndpoint(
  ctx: Ctx,
  existing?: ServiceEndpointRecord,
): Omit<ServiceEndpointRecord, "id" | "createdBy"> {
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "endpoint");
  const name = str(body.name);
  const type = str(body.type);
  const url = str(body.url);
  if (!name) throw errors.argument("Value cannot be null.", "endpoint.Name");
  if (!isValidDisplayName(name))
    throw errors.endpointInvalid(`The service connection name '${name}' is not valid.`);
  if (!type) throw errors.argument("Value cannot be null.", "endpoint.Type");
  if (!url) throw errors.argument("Value cannot be null.", "endpoint.Url");
  try {
    new URL(url);
  } catch {
    throw errors.endpointInvalid(`The URL '${url}' is not a valid absolute URL.`);
  }
  if (!SCHEMES[type.toLowerCase()])
    throw errors.endpointInvalid(
      `Service endpoint type '${type}' is not supported by the sandbox (supported: azurerm, dockerregistry, kubernetes, generic).`,
    );
  const auth = obj(body.authorization);
  const scheme = str(auth?.scheme);
  if (!scheme) throw errors.argument("Value cannot be null.", "endpoint.Authorization");
  const rule = ruleFor(type, scheme);
  if (!rule)
    throw errors.endpointInvalid(
      `Authorization scheme '${scheme}' is not valid for service connection type '${type}'.`,
    );
  const rawParams = obj(auth?.parameters) ?? {};
  const params: Record<string, string> = {};
  const secretNames: string[] = [];
  for (const [k, v] of Object.entries(rawParams)) {
    if (rule.secrets.some((s) => s.toLowerCase() === k.toLowerCase())) {
      if (v !== null && v !== undefined) secretNames.push(k);
      else if (existing?.secretParameterNames.includes(k)) secretNames.push(k);
      continue;
    }
    if (WIF_PARAMS.some((w) => w.toLowerCase() === k.toLowerCase())) continue; // filled by the service
    if (v === null || v === undefined) continue;
    if (typeof v !== "string")
      throw errors.endpointInvalid(`Authorization parameter '${k}' must be a string.`);
    params[k] = v;
  }
  for (const r of rule.required) {
    if (!Object.keys(params).some((k) => k.toLowerCase() === r.toLowerCase()) && !secretNames.includes(r)) {
      throw errors.endpointInvalid(`The authorization parameter '${r}' is required for scheme '${scheme}'.`);
    }
  }
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(body.data) ?? {})) {
    if (v === null || v === undefined) continue;
    data[k] = typeof v === "string" ? v : String(v);
  }
  if (type.toLowerCase() === "azurerm") {
    const mode = data.creationMode ?? "Manual";
    if (mode !== "Manual")
      throw errors.endpointInvalid(
        `creationMode '${mode}' requires the service to create an Entra application; only Manual is supported.`,
      );
    const level = data.scopeLevel ?? "Subscription";
    if (level === "Subscription" && (!data.subscriptionId || !data.subscriptionName)) {
      throw errors.endpointInvalid(
        "An Azure Resource Manager connection with scopeLevel Subscription requires data.subscriptionId and data.subscriptionName.",
      );
    }
    if (level === "ManagementGroup" && (!data.managementGroupId || !data.managementGroupName)) {
      throw errors.endpointInvalid(
        "scopeLevel ManagementGroup requires data.managementGroupId and data.managementGroupName.",
      );
    }
    if (data.subscriptionId && !GUID.test(data.subscriptionId))
      throw errors.endpointInvalid(`'${data.subscriptionId}' is not a valid subscription id.`);
  }
  const tenant = Object.entries(params).find(([k]) => k.toLowerCase() === "tenantid")?.[1];
  if (tenant !== undefined && !GUID.test(tenant))
    throw errors.endpointInvalid(`'${tenant}' is not a valid tenant id.`);
  const refs = body.serviceEndpointProjectReferences;
  if (!Array.isArray(refs) || refs.length === 0)
    throw errors.argument("Value cannot be null.", "endpoint.ServiceEndpointProjectReferences");
  const projectReferences = refs.map((r) => {
    const ro = obj(r);
    const pref = obj(ro?.projectReference);
    const key = str(pref?.id) ?? str(pref?.name);
    if (!key)
      throw errors.argument("Value cannot be null.", "serviceEndpointProjectReference.ProjectReference");
    const project = findProject(ctx.state, key);
    if (!project) throw errors.projectNotFound(key);
    return { projectId: project.id, name: str(ro?.name) ?? name, description: str(ro?.description) ?? "" };
  });
  return {
    name,
    type,
    url,
    description: str(body.description) ?? "",
    owner: str(body.owner) ?? "library",
    isShared: projectReferences.length > 1,
    data,
    authorization: { scheme, parameters: params },
    secretParameterNames: secretNames,
    projectReferences,
  };
}

function duplicate(
  ctx: Ctx,
  rec: Pick<ServiceEndpointRecord, "projectReferences" | "name">,
  exceptId?: string,
): boolean {
  return Object.values(ctx.state.serviceEndpoints).some(
    (e) =>
      e.id !== exceptId &&
      e.projectReferences.some((r) =>
        rec.projectReferences.some(
          (n) => n.projectId === r.projectId && n.name.toLowerCase() === r.name.toLowerCase(),
        ),
      ),
  );
}

function fillFederation(ctx: Ctx, e: ServiceEndpointRecord) {
  if (e.authorization.scheme.toLowerCase() !== "workloadidentityfederation") return;
  const tenant =
    Object.entries(e.authorization.parameters).find(([k]) => k.toLowerCase() === "tenantid")?.[1] ??
    ctx.opts.tenantId ??
    ctx.req.caller?.tenantId ??
    "";
  Object.assign(e.authorization.parameters, federation(tenant, ctx.state.organizationId, e.id));
}

function createEndpoint(ctx: Ctx) {
  const parsed = parseEndpoint(ctx);
  if (duplicate(ctx, parsed)) throw errors.endpointExists(parsed.name);
  const rec: ServiceEndpointRecord = { ...parsed, id: randomUUID(), createdBy: ctx.identity };
  fillFederation(ctx, rec);
  ctx.state.serviceEndpoints[rec.id] = rec;
  ctx.changed();
  return ok(endpointJson(ctx, rec));
}

function updateEndpoint(ctx: Ctx) {
  const id = (ctx.params.endpointId ?? "").toLowerCase();
  const existing = ctx.state.serviceEndpoints[id];
  if (!existing) throw errors.endpointNotFound(id);
  const parsed = parseEndpoint(ctx, existing);
  if (parsed.type.toLowerCase() !== existing.type.toLowerCase())
    throw errors.endpointInvalid("The type of a service connection cannot be changed.");
  if (duplicate(ctx, parsed, id)) throw errors.endpointExists(parsed.name);
  Object.assign(existing, parsed);
  fillFederation(ctx, existing);
  ctx.changed();
  return ok(endpointJson(ctx, existing));
}

function deleteEndpoint(ctx: Ctx) {
  const id = (ctx.params.endpointId ?? "").toLowerCase();
  const e = ctx.state.serviceEndpoints[id];
  if (!e) throw errors.endpointNotFound(id);
  const projectIds = (query(ctx, "projectIds") ?? "")
    .split(",")
    .filter(Boolean)
    .map((p) => findProject(ctx.state, p)?.id);
  if (projectIds.length === 0) throw errors.argument("Value cannot be null.", "projectIds");
  e.projectReferences = e.projectReferences.filter((r) => !projectIds.includes(r.projectId));
  if (e.projectReferences.length === 0) delete ctx.state.serviceEndpoints[id];
  ctx.changed();
  return noContent();
}

function inProject(ctx: Ctx, e: ServiceEndpointRecord): boolean {
  return !ctx.project || e.projectReferences.some((r) => r.projectId === ctx.project?.id);
}

function getEndpoint(ctx: Ctx) {
  const id = (ctx.params.endpointId ?? "").toLowerCase();
  const e = ctx.state.serviceEndpoints[id];
  if (!e || !inProject(ctx, e)) throw errors.endpointNotFound(id);
  return ok(endpointJson(ctx, e));
}

function listEndpoints(ctx: Ctx) {
  const names = query(ctx, "endpointNames")
    ?.split(",")
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  const ids = query(ctx, "endpointIds")
    ?.split(",")
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  const type = query(ctx, "type")?.toLowerCase();
  const schemes = query(ctx, "authSchemes")
    ?.split(",")
    .map((s) => s.toLowerCase());
  const items = Object.values(ctx.state.serviceEndpoints)
    .filter((e) => inProject(ctx, e))
    .filter((e) => !names || names.includes(e.name.toLowerCase()))
    .filter((e) => !ids || ids.includes(e.id))
    .filter((e) => !type || e.type.toLowerCase() === type)
    .filter((e) => !schemes || schemes.includes(e.authorization.scheme.toLowerCase()))
    .sort((a, b) => a.name.localeCompare(b.name));
  return list(items.map((e) => endpointJson(ctx, e)));
}

export const serviceEndpointRoutes: Route[] = [
  {
    id: "14e48fdc-2c8b-41ce-a0c3-e26f6cc55bd0",
    area: "serviceendpoint",
    resource: "endpoints",
    template: "_apis/serviceendpoint/endpoints/{endpointId}",
    resourceVersion: 4,
    methods: {
      POST: createEndpoint,
      PUT: updateEndpoint,
      DELETE: deleteEndpoint,
      GET: (ctx) => (ctx.params.endpointId ? getEndpoint(ctx) : listEndpoints(ctx)),
    },
  },
  {
    id: "e85f1c62-adfc-4b74-b618-11a150fb195e",
    area: "serviceendpoint",
    resource: "endpoints",
    template: "{project}/_apis/serviceendpoint/endpoints/{endpointId}",
    resourceVersion: 4,
    methods: { GET: (ctx) => (ctx.params.endpointId ? getEndpoint(ctx) : listEndpoints(ctx)) },
  },
];
