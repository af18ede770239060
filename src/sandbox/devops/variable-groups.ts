import type { Ctx } from "./context.js";
import { bodyObject, identityJson, list, noContent, obj, ok, query, str } from "./context.js";
import { errors } from "./errors.js";
import { findProject } from "./core.js";
import { isValidDisplayName } from "./names.js";
import type { Route } from "./router.js";
import type { VariableGroupRecord, VariableRecord } from "./state.js";

const KEY_VAULT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

function groupJson(ctx: Ctx, g: VariableGroupRecord) {
  const variables: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(g.variables)) {
    variables[k] =
      g.type === "AzureKeyVault"
        ? {
            enabled: v.enabled ?? true,
            contentType: v.contentType ?? "",
            ...(v.expires ? { expires: v.expires } : {}),
            isSecret: true,
            value: null,
          }
        : v.isSecret
          ? { isSecret: true, value: null }
          : { value: v.value ?? "", ...(v.isReadOnly ? { isReadOnly: true } : {}) };
  }
  return {
    variables,
    id: g.id,
    type: g.type,
    name: g.name,
    description: g.description,
    ...(g.providerData ? { providerData: g.providerData } : {}),
    createdBy: identityJson(ctx, g.createdBy),
    createdOn: g.createdOn,
    modifiedBy: identityJson(ctx, g.createdBy),
    modifiedOn: g.modifiedOn,
    isShared: g.projectReferences.length > 1,
    variableGroupProjectReferences: g.projectReferences.map((r) => ({
      projectReference: { id: r.projectId, name: ctx.state.projects[r.projectId]?.name ?? r.projectId },
      name: r.name,
      description: r.description,
    })),
  };
}

const invalid = (m: string) =>
  errors.badRequest(m, "VariableGroupInvalidException", [
    "Microsoft.TeamFoundation.DistributedTask.WebApi",
    "Microsoft.TeamFoundation.DistributedTask.WebApi",
  ]);

function parseGroup(ctx: Ctx): Omit<VariableGroupRecord, "id" | "createdBy" | "createdOn" | "modifiedOn"> {
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "variableGroupParameters");
  const name = str(body.name);
  if (!name) throw errors.argument("Value cannot be null.", "variableGroupParameters.Name");
  if (!isValidDisplayName(name) || /[\\/:*?"<>|;#$*{},+=[\]]/.test(name))
    throw invalid(`Variable group name '${name}' is not valid.`);
  const type = str(body.type) ?? "Vsts";
  if (type !== "Vsts" && type !== "AzureKeyVault")
    throw invalid(`Variable group type '${type}' is not valid. Valid types are Vsts and AzureKeyVault.`);
  const refs = body.variableGroupProjectReferences;
  if (!Array.isArray(refs) || refs.length === 0)
    throw errors.argument("Value cannot be null.", "variableGroupParameters.VariableGroupProjectReferences");
  const projectReferences = refs.map((r) => {
    const ro = obj(r);
    const key = str(obj(ro?.projectReference)?.id) ?? str(obj(ro?.projectReference)?.name);
    if (!key)
      throw errors.argument("Value cannot be null.", "variableGroupProjectReference.ProjectReference");
    const p = findProject(ctx.state, key);
    if (!p) throw errors.projectNotFound(key);
    return { projectId: p.id, name: str(ro?.name) ?? name, description: str(ro?.description) ?? "" };
  });
  const rawVars = obj(body.variables);
  if (!rawVars || Object.keys(rawVars).length === 0)
    throw invalid("A variable group must contain at least one variable.");
  const variables: Record<string, VariableRecord> = {};
  for (const [k, v] of Object.entries(rawVars)) {
    const vo = obj(v) ?? {};
    if (!/^[A-Za-z0-9._-]+$/.test(k)) throw invalid(`Variable name '${k}' is not valid.`);
    if (type === "AzureKeyVault") {
      variables[k] = {
        enabled: vo.enabled !== false,
        contentType: str(vo.contentType) ?? "",
        ...(str(vo.expires) ? { expires: str(vo.expires) } : {}),
        isSecret: true,
      };
    } else if (vo.isSecret === true) {
      // Secret values are kept by the service but never returned; the sandbox does not keep them at all.
      variables[k] = { isSecret: true };
    } else {
      const value = vo.value;
      variables[k] = {
        value: value === null || value === undefined ? "" : String(value),
        ...(vo.isReadOnly === true ? { isReadOnly: true } : {}),
      };
    }
  }
  let providerData: VariableGroupRecord["providerData"];
  if (type === "AzureKeyVault") {
    const pd = obj(body.providerData);
    const endpointId = str(pd?.serviceEndpointId)?.toLowerCase();
    const vault = str(pd?.vault);
    if (!endpointId || !vault)
      throw invalid(
        "An Azure Key Vault variable group requires providerData.serviceEndpointId and providerData.vault.",
      );
    const endpoint = ctx.state.serviceEndpoints[endpointId];
    if (
      !endpoint ||
      !endpoint.projectReferences.some((r) => projectReferences.some((p) => p.projectId === r.projectId))
    )
      throw errors.endpointNotFound(endpointId);
    if (endpoint.type.toLowerCase() !== "azurerm")
      throw invalid(`Service connection '${endpoint.name}' is not an Azure Resource Manager connection.`);
    if (!KEY_VAULT_NAME.test(vault)) throw invalid(`'${vault}' is not a valid Key Vault name.`);
    if (ctx.opts.findVault && ctx.opts.findVault(vault) === undefined) {
      throw invalid(
        `The specified Azure Key Vault '${vault}' could not be found, or the service connection '${endpoint.name}' does not have access to it.`,
      );
    }
    providerData = { serviceEndpointId: endpointId, vault };
  } else if (body.providerData !== undefined && body.providerData !== null) {
    throw invalid("providerData is only valid for AzureKeyVault variable groups.");
  }
  return {
    name,
    description: str(body.description) ?? "",
    type,
    ...(providerData ? { providerData } : {}),
    variables,
    projectReferences,
  };
}

function duplicate(
  ctx: Ctx,
  g: Pick<VariableGroupRecord, "projectReferences" | "name">,
  exceptId?: number,
): boolean {
  return Object.values(ctx.state.variableGroups).some(
    (x) =>
      x.id !== exceptId &&
      x.projectReferences.some((r) =>
        g.projectReferences.some(
          (n) => n.projectId === r.projectId && n.name.toLowerCase() === r.name.toLowerCase(),
        ),
      ),
  );
}

function addGroup(ctx: Ctx) {
  const parsed = parseGroup(ctx);
  if (duplicate(ctx, parsed)) throw errors.variableGroupExists(parsed.name);
  const now = ctx.nowIso();
  const rec: VariableGroupRecord = {
    ...parsed,
    id: ctx.state.counters.variableGroup++,
    createdBy: ctx.identity,
    createdOn: now,
    modifiedOn: now,
  };
  ctx.state.variableGroups[String(rec.id)] = rec;
  ctx.changed();
  return ok(groupJson(ctx, rec));
}

function updateGroup(ctx: Ctx) {
  const id = ctx.params.groupId ?? "";
  const existing = ctx.state.variableGroups[id];
  if (!existing) throw errors.variableGroupNotFound(id);
  const parsed = parseGroup(ctx);
  if (duplicate(ctx, parsed, existing.id)) throw errors.variableGroupExists(parsed.name);
  Object.assign(existing, parsed, { modifiedOn: ctx.nowIso() });
  ctx.changed();
  return ok(groupJson(ctx, existing));
}

function deleteGroup(ctx: Ctx) {
  const id = ctx.params.groupId ?? "";
  const g = ctx.state.variableGroups[id];
  if (!g) throw errors.variableGroupNotFound(id);
  const projectIds = (query(ctx, "projectIds") ?? "")
    .split(",")
    .filter(Boolean)
    .map((p) => findProject(ctx.state, p)?.id);
  if (projectIds.length === 0) throw errors.argument("Value cannot be null.", "projectIds");
  g.projectReferences = g.projectReferences.filter((r) => !projectIds.includes(r.projectId));
  if (g.projectReferences.length === 0) delete ctx.state.variableGroups[id];
  ctx.changed();
  return noContent();
}

function inProject(ctx: Ctx, g: VariableGroupRecord) {
  return !ctx.project || g.projectReferences.some((r) => r.projectId === ctx.project?.id);
}

function getGroups(ctx: Ctx) {
  const id = ctx.params.groupId;
  if (id !== undefined) {
    const g = ctx.state.variableGroups[id];
    if (!g || !inProject(ctx, g)) throw errors.variableGroupNotFound(id);
    return ok(groupJson(ctx, g));
  }
  const name = query(ctx, "groupName");
  const pattern = name
    ? new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i")
    : undefined;
  const ids = query(ctx, "groupIds")?.split(",").filter(Boolean);
  const items = Object.values(ctx.state.variableGroups)
    .filter((g) => inProject(ctx, g))
    .filter((g) => !pattern || pattern.test(g.name))
    .filter((g) => !ids || ids.includes(String(g.id)))
    .sort((a, b) => a.id - b.id);
  return list(items.map((g) => groupJson(ctx, g)));
}

export const variableGroupRoutes: Route[] = [
  {
    id: "ef5b7057-ffc3-4c77-bbad-c10b4a4abcc7",
    area: "distributedtask",
    resource: "variablegroups",
    template: "_apis/distributedtask/variablegroups/{groupId}",
    resourceVersion: 2,
    methods: { POST: addGroup, PUT: updateGroup, DELETE: deleteGroup },
  },
  {
    id: "f5b09dd5-9d54-45a1-8b5a-1c8287d634cc",
    area: "distributedtask",
    resource: "variablegroups",
    template: "{project}/_apis/distributedtask/variablegroups/{groupId}",
    resourceVersion: 2,
    methods: { GET: getGroups },
  },
];
