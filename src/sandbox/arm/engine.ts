import type { SandboxCore } from "../core.js";
import type { StoredResource } from "../state.js";
import type { SandboxRequest, SandboxResponse } from "../types.js";
import { ArmError, notFound, rgNotFound } from "./errors.js";
import { props, systemData, type KindContext, type TrackedKind } from "./kinds.js";
import { startOperation } from "./operations.js";
import { checkLocation, normalizeLocation } from "./locations.js";
import { checkShape } from "./shape.js";
import { checkTags } from "./tags.js";

/** Generic create/read/update/delete/list for resource kinds that live in a resource group. */
export function rgKey(sub: string, rg: string): string {
  return `/subscriptions/${sub}/resourcegroups/${rg}`.toLowerCase();
}

export function findRg(core: SandboxCore, sub: string, rg: string): StoredResource | undefined {
  return core.state.resources[rgKey(sub, rg)];
}

export function requireRg(core: SandboxCore, sub: string, rg: string): StoredResource {
  const found = findRg(core, sub, rg);
  if (!found) throw rgNotFound(rg);
  return found;
}

/**
 * Globally unique names (registries, vaults) someone else in Azure already owns. In the sandbox
 * every name starting with "taken" is, so the "name not available" path can be shown and tested.
 */
export function takenElsewhere(name: string): boolean {
  return /^taken/i.test(name);
}

export function typeOf(kind: TrackedKind): string {
  return `${kind.namespace}/${kind.typeName}`;
}

export function resourceId(sub: string, rgName: string, kind: TrackedKind, name: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rgName}/providers/${kind.namespace}/${kind.typeName}/${name}`;
}

/** A resource visible to reads: present and past its eventual-consistency window. */
export function visible(core: SandboxCore, key: string): StoredResource | undefined {
  const r = core.state.resources[key.toLowerCase()];
  if (!r) return undefined;
  if (r.visibleAt && r.visibleAt > core.clock.now()) return undefined;
  return r;
}

function asyncHeaders(
  ctx: KindContext,
  location: string,
  opId: string,
  namespace: string,
): Record<string, string> {
  const apiVersion =
    namespace === "Microsoft.ContainerService" ? "2017-08-31" : (ctx.req.query.get("api-version") ?? "");
  return {
    "Azure-AsyncOperation": `${ctx.armUrl}/subscriptions/${ctx.subscriptionId}/providers/${namespace}/locations/${location}/operations/${opId}?api-version=${apiVersion}`,
  };
}

export async function putTracked(kind: TrackedKind, ctx: KindContext): Promise<SandboxResponse> {
  const { core, req, name } = ctx;
  const rg = requireRg(core, ctx.subscriptionId, ctx.resourceGroup);
  const nameError = kind.validateName(name);
  if (nameError) throw new ArmError(400, kind.nameErrorCode ?? "InvalidResourceName", nameError);
  if (req.body === undefined) {
    throw new ArmError(
      400,
      "InvalidRequestContent",
      "The request content was invalid and could not be deserialized: 'body is empty or not JSON'.",
    );
  }
  const body = req.body as Record<string, unknown>;
  if ((kind.requiresLocation ?? true) && (typeof body["location"] !== "string" || !body["location"])) {
    throw new ArmError(400, "LocationRequired", "The location property is required for this definition.");
  }
  checkShape(body, kind.shape, "", kind.missingCode);
  checkTags(body["tags"]);
  const key = ctx.id.toLowerCase();
  const existing = core.state.resources[key];
  if (typeof body["location"] === "string") {
    const loc = checkLocation(body["location"], typeOf(kind));
    const was = existing?.body["location"];
    if (typeof was === "string" && normalizeLocation(was) !== loc) {
      throw new ArmError(
        400,
        "InvalidResourceLocation",
        `The resource '${name}' already exists in location '${was}' in resource group '${ctx.resourceGroup}'. A resource with the same name cannot be created in location '${loc}'. Please select a new resource name.`,
      );
    }
  }
  if (existing) {
    const state = props(existing.body)["provisioningState"];
    if (state === "Creating" || state === "Updating" || state === "Deleting") {
      throw new ArmError(
        409,
        "OperationNotAllowed",
        `Operation is not allowed because there's an in progress ${String(state).toLowerCase()} operation on ${kind.typeName} '${name}'. Please wait for it to finish.`,
      );
    }
  }
  if (kind.globallyUnique) {
    const suffix = `/providers/${typeOf(kind)}/${name}`.toLowerCase();
    const clash = Object.keys(core.state.resources).find((k) => k.endsWith(suffix) && k !== key);
    if (clash || takenElsewhere(name)) {
      throw new ArmError(
        409,
        kind.namespace === "Microsoft.KeyVault" ? "VaultAlreadyExists" : "AlreadyInUse",
        `The ${kind.typeName === "vaults" ? "vault" : "registry"} name '${name}' is already in use. Names are globally unique; choose another name.`,
      );
    }
  }
  kind.check?.(body, ctx, existing?.body);
  const built = kind.build(body, ctx, existing?.body);
  const location = String(body["location"] ?? rg.body["location"] ?? core.state.location)
    .toLowerCase()
    .replace(/\s+/g, "");
  const seconds = existing ? (kind.updateSeconds ?? 0) : (kind.createSeconds ?? 0);
  const resource: Record<string, unknown> = {
    id: existing?.id ?? ctx.id,
    name,
    type: kind.responseType ?? typeOf(kind),
    ...(kind.requiresLocation === false ? {} : { location }),
    tags: (body["tags"] as Record<string, string> | undefined) ?? {},
    ...built,
    ...(kind.noSystemData ? {} : { systemData: systemData(ctx, existing?.body) }),
  };
  const p = (resource["properties"] ??= {}) as Record<string, unknown>;
  if (!kind.noProvisioningState)
    p["provisioningState"] = seconds > 0 ? (existing ? "Updating" : "Creating") : "Succeeded";
  const now = core.clock.now();
  const stored: StoredResource = {
    id: String(resource["id"]),
    type: typeOf(kind),
    body: resource,
    createdAt: existing?.createdAt ?? now,
  };
  if (!existing && core.faults.roll("eventual")) stored.visibleAt = now + core.clock.scaled(20);
  core.state.resources[key] = stored;
  await kind.afterPut?.(resource, ctx);
  let headers: Record<string, string> | undefined;
  if (seconds > 0) {
    const op = startOperation(core, key, "put", seconds);
    headers = asyncHeaders(ctx, location, op.id, kind.namespace);
  }
  core.persist();
  return {
    status: existing ? 200 : (kind.createStatus ?? 201),
    ...(headers ? { headers } : {}),
    body: resource,
  };
}

export function getTracked(kind: TrackedKind, ctx: KindContext): SandboxResponse {
  requireRg(ctx.core, ctx.subscriptionId, ctx.resourceGroup);
  const found = visible(ctx.core, ctx.id);
  if (!found) throw notFound(typeOf(kind), ctx.name, ctx.resourceGroup);
  return { status: 200, body: found.body };
}

export async function deleteTracked(kind: TrackedKind, ctx: KindContext): Promise<SandboxResponse> {
  requireRg(ctx.core, ctx.subscriptionId, ctx.resourceGroup);
  const key = ctx.id.toLowerCase();
  const found = ctx.core.state.resources[key];
  if (!found) return { status: 204 };
  if (kind.deleteSeconds) {
    props(found.body)["provisioningState"] = "Deleting";
    const op = startOperation(ctx.core, key, "delete", kind.deleteSeconds);
    ctx.core.persist();
    const location = String(found.body["location"] ?? ctx.core.state.location);
    return { status: 202, headers: asyncHeaders(ctx, location, op.id, kind.namespace) };
  }
  // Children and extension resources (federated credentials, associations) go with it; role
  // assignments stay, so a recovered (soft-deleted) vault keeps its access.
  for (const [k, r] of Object.entries(ctx.core.state.resources)) {
    const child = k.startsWith(`${key}/`) && r.type !== "Microsoft.Authorization/roleAssignments";
    if (k === key || child) delete ctx.core.state.resources[k];
  }
  await kind.afterDelete?.(found.body, ctx);
  ctx.core.persist();
  return { status: 200 };
}

/** Lists a kind in one resource group, or in the whole subscription when rg is undefined. */
export function listTracked(
  core: SandboxCore,
  kind: TrackedKind,
  sub: string,
  rg: string | undefined,
): SandboxResponse {
  if (rg !== undefined) requireRg(core, sub, rg);
  const prefix = rg !== undefined ? `${rgKey(sub, rg)}/` : `/subscriptions/${sub}/`.toLowerCase();
  const type = typeOf(kind).toLowerCase();
  const value = Object.entries(core.state.resources)
    .filter(
      ([k, r]) =>
        k.startsWith(prefix) &&
        r.type.toLowerCase() === type &&
        !(r.visibleAt && r.visibleAt > core.clock.now()),
    )
    .map(([, r]) => r.body);
  return { status: 200, body: { value } };
}

/** Helper for hooks needing the request: builds the per-request context. */
export function kindContext(
  core: SandboxCore,
  req: SandboxRequest,
  sub: string,
  rgName: string,
  kind: TrackedKind,
  name: string,
): KindContext {
  const rg = findRg(core, sub, rgName);
  const rgCanonical = rg ? String(rg.body["name"]) : rgName;
  return {
    core,
    req,
    subscriptionId: sub,
    resourceGroup: rgCanonical,
    name,
    id: resourceId(sub, rgCanonical, kind, name),
    armUrl: core.armUrl,
  };
}
