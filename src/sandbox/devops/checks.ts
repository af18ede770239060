import type { Ctx } from "./context.js";
import { bodyObject, identityJson, list, noContent, obj, ok, query, str } from "./context.js";
import { errors } from "./errors.js";
import { GUID } from "./names.js";
import { requireProject } from "./environments.js";
import { resolveResource } from "./resources.js";
import type { Route } from "./router.js";
import type { CheckConfigurationRecord } from "./state.js";

/** Check types the sandbox knows (Microsoft's fixed ids). */
export const APPROVAL_CHECK = "8c6f20a7-a545-4486-9777-f762fafe0d4d";
const CHECK_TYPES: Record<string, string> = {
  [APPROVAL_CHECK]: "Approval",
  "fe1de3ee-a436-41b4-bb20-f6eb4cb879a7": "Task Check",
  "86b05a0c-73e6-4f7d-b3cf-e38f3b39a75b": "ExtendsCheck",
};
const EXECUTION_ORDERS = ["anyOrder", "inSequence"];

function checkJson(ctx: Ctx, c: CheckConfigurationRecord, withSettings: boolean) {
  const url = `${ctx.orgUrl}/${c.projectId}/_apis/pipelines/checks/configurations/${c.id}`;
  return {
    ...(withSettings ? { settings: c.settings } : {}),
    createdBy: identityJson(ctx, c.createdBy),
    createdOn: c.createdOn,
    modifiedBy: identityJson(ctx, c.createdBy),
    modifiedOn: c.modifiedOn,
    timeout: c.timeout,
    _links: { self: { href: url } },
    id: c.id,
    version: c.version,
    type: c.type,
    url,
    resource: c.resource,
  };
}

const invalid = (m: string) =>
  errors.badRequest(m, "InvalidCheckConfigurationException", [
    "Microsoft.Azure.Pipelines.Checks.WebApi",
    "Microsoft.Azure.Pipelines.Checks.WebApi",
  ]);

function parseCheck(ctx: Ctx): Pick<CheckConfigurationRecord, "type" | "settings" | "timeout" | "resource"> {
  const project = requireProject(ctx);
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "configuration");
  const typeId = str(obj(body.type)?.id)?.toLowerCase();
  if (!typeId) throw errors.argument("Value cannot be null.", "configuration.Type");
  const typeName = CHECK_TYPES[typeId];
  if (!typeName) throw invalid(`Check type '${typeId}' is not valid.`);
  const resource = obj(body.resource);
  const resType = str(resource?.type);
  const resId = resource?.id === undefined || resource?.id === null ? undefined : String(resource.id);
  if (!resType || !resId) throw errors.argument("Value cannot be null.", "configuration.Resource");
  const resolved = resolveResource(ctx, project.id, resType, resId);
  const settings = obj(body.settings);
  if (typeId === APPROVAL_CHECK) {
    if (!settings) throw errors.argument("Value cannot be null.", "configuration.Settings");
    const approvers = settings.approvers;
    if (!Array.isArray(approvers) || approvers.length === 0)
      throw invalid("An approval check needs at least one approver.");
    if (approvers.some((a) => !GUID.test(str(obj(a)?.id) ?? "")))
      throw invalid("Each approver must have an identity id (a GUID).");
    const order = settings.executionOrder;
    if (order !== undefined && (typeof order !== "string" || !EXECUTION_ORDERS.includes(order))) {
      throw invalid(
        `executionOrder '${String(order)}' is not valid. Valid values are anyOrder and inSequence.`,
      );
    }
    const min = settings.minRequiredApprovers;
    if (
      min !== undefined &&
      (typeof min !== "number" || !Number.isInteger(min) || min < 0 || min > approvers.length)
    ) {
      throw invalid("minRequiredApprovers must be between 0 and the number of approvers.");
    }
  }
  const timeout = body.timeout === undefined ? 43200 : body.timeout;
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 1 || timeout > 43200) {
    throw invalid("timeout must be a number of minutes between 1 and 43200.");
  }
  return {
    type: { id: typeId, name: typeName },
    settings: settings ?? {},
    timeout,
    resource: { type: resType, id: resId, ...(resolved.name ? { name: resolved.name } : {}) },
  };
}

function addCheck(ctx: Ctx) {
  const project = requireProject(ctx);
  const parsed = parseCheck(ctx);
  const now = ctx.nowIso();
  const rec: CheckConfigurationRecord = {
    id: ctx.state.counters.check++,
    projectId: project.id,
    version: 1,
    createdBy: ctx.identity,
    createdOn: now,
    modifiedOn: now,
    ...parsed,
  };
  ctx.state.checks[String(rec.id)] = rec;
  ctx.changed();
  return ok(checkJson(ctx, rec, true));
}

function findCheck(ctx: Ctx) {
  const project = requireProject(ctx);
  const id = ctx.params.id ?? "";
  const c = ctx.state.checks[id];
  if (!c || c.projectId !== project.id) throw errors.checkNotFound(id);
  return c;
}

function updateCheck(ctx: Ctx) {
  const c = findCheck(ctx);
  const parsed = parseCheck(ctx);
  Object.assign(c, parsed, { version: c.version + 1, modifiedOn: ctx.nowIso() });
  ctx.changed();
  return ok(checkJson(ctx, c, true));
}

function listChecks(ctx: Ctx) {
  const project = requireProject(ctx);
  const type = query(ctx, "resourceType")?.toLowerCase();
  const id = query(ctx, "resourceId");
  const expand = (query(ctx, "$expand") ?? "").toLowerCase() === "settings";
  const items = Object.values(ctx.state.checks)
    .filter(
      (c) =>
        c.projectId === project.id &&
        (!type || c.resource.type.toLowerCase() === type) &&
        (!id || c.resource.id === id),
    )
    .sort((a, b) => a.id - b.id);
  return list(items.map((c) => checkJson(ctx, c, expand)));
}

export const checkRoutes: Route[] = [
  {
    id: "86c8381e-5aee-4cde-8ae4-25c0c7f5eaea",
    area: "PipelinesChecks",
    resource: "configurations",
    template: "{project}/_apis/pipelines/checks/configurations/{id}",
    resourceVersion: 1,
    methods: {
      POST: addCheck,
      GET: (ctx) =>
        ctx.params.id
          ? ok(checkJson(ctx, findCheck(ctx), (query(ctx, "$expand") ?? "").toLowerCase() === "settings"))
          : listChecks(ctx),
      PATCH: updateCheck,
      DELETE: (ctx) => {
        const c = findCheck(ctx);
        delete ctx.state.checks[String(c.id)];
        ctx.changed();
        return noContent();
      },
    },
  },
];
