import type { SandboxCore } from "../core.js";
import type { SandboxRequest, SandboxResponse } from "../types.js";
import { ArmError, rgNotFound } from "./errors.js";
import { rgKey } from "./engine.js";
import { checkLocation } from "./locations.js";
import { checkTags } from "./tags.js";
import { startOperation, operationStatus } from "./operations.js";
import { props } from "./kinds.js";
import { vaults } from "./kinds/vaults.js";

/** Microsoft.Resources resource groups (spec 2025-04-01). Delete is 202 + Location, as ARM does. */
const RG_NAME = /^[-\w._()\p{L}\p{N}]{1,90}$/u;

export function handleResourceGroup(
  core: SandboxCore,
  req: SandboxRequest,
  sub: string,
  name: string,
): SandboxResponse | undefined {
  const key = rgKey(sub, name);
  const existing = core.state.resources[key];
  switch (req.method) {
    case "HEAD":
      return { status: existing ? 204 : 404 };
    case "GET":
      if (!existing) throw rgNotFound(name);
      return { status: 200, body: existing.body };
    case "PUT":
    case "PATCH": {
      if (!RG_NAME.test(name) || name.endsWith(".")) {
        throw new ArmError(
          400,
          "InvalidResourceGroupName",
          `The resource group name '${name}' is invalid. It can contain letters, digits, periods, underscores, hyphens and parentheses, 1-90 characters, and cannot end with a period.`,
        );
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (req.method === "PATCH" && !existing) throw rgNotFound(name);
      const location = (body["location"] ?? existing?.body["location"]) as string | undefined;
      if (!location)
        throw new ArmError(400, "LocationRequired", "The location property is required for this definition.");
      checkLocation(location, "Microsoft.Resources/resourceGroups");
      checkTags(body["tags"]);
      if (
        existing &&
        req.method === "PUT" &&
        String(existing.body["location"]).toLowerCase() !== location.toLowerCase().replace(/\s+/g, "")
      ) {
        throw new ArmError(
          409,
          "InvalidResourceGroupLocation",
          `Invalid resource group location '${location}'. The Resource group already exists in location '${String(existing.body["location"])}'.`,
        );
      }
      if (existing && props(existing.body)["provisioningState"] === "Deleting") {
        throw new ArmError(
          409,
          "ResourceGroupBeingDeleted",
          `The resource group '${name}' is in deprovisioning state and cannot perform this operation.`,
        );
      }
      const canonical = existing ? String(existing.body["name"]) : name;
      const resource = {
        id: `/subscriptions/${sub}/resourceGroups/${canonical}`,
        name: canonical,
        type: "Microsoft.Resources/resourceGroups",
        location: location.toLowerCase().replace(/\s+/g, ""),
        ...(body["managedBy"] ? { managedBy: body["managedBy"] } : {}),
        tags:
          (body["tags"] as Record<string, string> | undefined) ??
          (req.method === "PATCH" ? existing?.body["tags"] : undefined) ??
          {},
        properties: { provisioningState: "Succeeded" },
      };
      core.state.resources[key] = {
        id: resource.id,
        type: "Microsoft.Resources/resourceGroups",
        body: resource,
        createdAt: existing?.createdAt ?? core.clock.now(),
      };
      core.persist();
      return { status: existing ? 200 : 201, body: resource };
    }
    case "DELETE": {
      if (!existing) throw rgNotFound(name);
      props(existing.body)["provisioningState"] = "Deleting";
      // Vaults in the group go to the soft-deleted list, as Key Vault does.
      for (const [k, r] of Object.entries(core.state.resources)) {
        if (k.startsWith(`${key}/`) && r.type === "Microsoft.KeyVault/vaults") {
          void vaults.afterDelete?.(r.body, {
            core,
            req,
            subscriptionId: sub,
            resourceGroup: name,
            name: String(r.body["name"]),
            id: r.id,
            armUrl: core.armUrl,
          });
        }
      }
      const op = startOperation(core, key, "delete", 60);
      core.persist();
      const token = deletionToken(op.id);
      const apiVersion = req.query.get("api-version") ?? "";
      return {
        status: 202,
        headers: {
          Location: `${core.armUrl}/subscriptions/${sub}/operationresults/${token}?api-version=${apiVersion}`,
          "Retry-After": String(Math.max(0, Math.round(15 / core.clock.speed))),
        },
      };
    }
    default:
      return undefined;
  }
}

function deletionToken(opId: string): string {
  return Buffer.from(`RESOURCEGROUPDELETIONJOB-${opId}`).toString("base64url").toUpperCase();
}

/** GET /subscriptions/{s}/operationresults/{token}: 202 while the delete runs, 200 when done. */
export function resourceGroupDeletion(
  core: SandboxCore,
  req: SandboxRequest,
  token: string,
): SandboxResponse {
  // The token is opaque to clients (ARM's look like base64 of a job name); match it against
  // the token each operation would have been given.
  const op = Object.values(core.state.operations).find((o) => deletionToken(o.id) === token.toUpperCase());
  if (!op) throw new ArmError(404, "NotFound", "The operation was not found.");
  const status = operationStatus(op, core.clock.now());
  if (status["status"] === "InProgress") {
    return {
      status: 202,
      headers: {
        Location: req.url.toString(),
        "Retry-After": String(Math.max(0, Math.round(15 / core.clock.speed))),
      },
    };
  }
  return { status: 200 };
}

export function listResourceGroups(core: SandboxCore, sub: string): SandboxResponse {
  const prefix = `/subscriptions/${sub}/resourcegroups/`.toLowerCase();
  const value = Object.entries(core.state.resources)
    .filter(([k]) => k.startsWith(prefix) && !k.slice(prefix.length).includes("/"))
    .map(([, r]) => r.body);
  return { status: 200, body: { value } };
}
