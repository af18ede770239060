import type { SandboxCore } from "../core.js";
import type { SandboxRequest, SandboxResponse } from "../types.js";
import { ArmError } from "./errors.js";
import { systemData, type KindContext } from "./kinds.js";
import { validateFederatedCredential } from "./kinds/identities.js";

/**
 * Resources that hang off another resource: data collection rule associations (an extension
 * resource under e.g. a cluster id) and federated identity credentials (a child of a
 * user-assigned identity).
 */
const DCRA_TYPE = "Microsoft.Insights/dataCollectionRuleAssociations";
const FIC_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";

function ctxFor(core: SandboxCore, req: SandboxRequest, id: string, name: string): KindContext {
  return {
    core,
    req,
    subscriptionId: core.state.subscriptionId,
    resourceGroup: "",
    name,
    id,
    armUrl: core.armUrl,
  };
}

function listUnder(core: SandboxCore, parent: string, type: string): SandboxResponse {
  const prefix = `${parent.toLowerCase()}/`;
  const value = Object.entries(core.state.resources)
    .filter(([k, r]) => k.startsWith(prefix) && r.type === type)
    .map(([, r]) => r.body);
  return { status: 200, body: { value } };
}

export function handleDcrAssociation(
  core: SandboxCore,
  req: SandboxRequest,
  target: string,
  name: string | undefined,
): SandboxResponse | undefined {
  const targetRes = core.state.resources[target.toLowerCase()];
  if (!targetRes) {
    throw new ArmError(
      404,
      "ResourceNotFound",
      `The resource '${target}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }
  if (!name)
    return req.method === "GET"
      ? listUnder(
          core,
          `${targetRes.id}/providers/Microsoft.Insights/dataCollectionRuleAssociations`,
          DCRA_TYPE,
        )
      : undefined;
  const id = `${targetRes.id}/providers/Microsoft.Insights/dataCollectionRuleAssociations/${name}`;
  const key = id.toLowerCase();
  const existing = core.state.resources[key];
  if (req.method === "GET") {
    if (!existing)
      throw new ArmError(
        404,
        "ResourceNotFound",
        `The data collection rule association '${name}' was not found on '${target}'.`,
      );
    return { status: 200, body: existing.body };
  }
  if (req.method === "DELETE") {
    if (!existing) return { status: 204 };
    delete core.state.resources[key];
    core.persist();
    return { status: 200 };
  }
  if (req.method !== "PUT") return undefined;
  const p = ((req.body as Record<string, unknown> | undefined)?.["properties"] ?? {}) as Record<
    string,
    unknown
  >;
  const dcr = p["dataCollectionRuleId"];
  const dce = p["dataCollectionEndpointId"];
  if (!dcr && !dce) {
    throw new ArmError(
      400,
      "InvalidPayload",
      "Either 'dataCollectionRuleId' or 'dataCollectionEndpointId' must be specified.",
    );
  }
  if (typeof dcr === "string" && !core.state.resources[dcr.toLowerCase()]) {
    throw new ArmError(400, "InvalidPayload", `The data collection rule '${dcr}' was not found.`);
  }
  const body = {
    id,
    name,
    type: DCRA_TYPE,
    properties: { ...p, provisioningState: "Succeeded" },
    systemData: systemData(ctxFor(core, req, id, name), existing?.body),
  };
  core.state.resources[key] = {
    id,
    type: DCRA_TYPE,
    body,
    createdAt: existing?.createdAt ?? core.clock.now(),
  };
  core.persist();
  return { status: existing ? 200 : 201, body };
}

export function handleFederatedCredential(
  core: SandboxCore,
  req: SandboxRequest,
  identityKey: string,
  name: string | undefined,
): SandboxResponse | undefined {
  const identity = core.state.resources[identityKey];
  if (!identity) {
    const idName = identityKey.split("/").pop() ?? "";
    const rg = /resourcegroups\/([^/]+)/.exec(identityKey)?.[1] ?? "";
    throw new ArmError(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/${idName}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }
  if (!name)
    return req.method === "GET"
      ? listUnder(core, `${identity.id}/federatedIdentityCredentials`, FIC_TYPE)
      : undefined;
  const id = `${identity.id}/federatedIdentityCredentials/${name}`;
  const key = id.toLowerCase();
  const existing = core.state.resources[key];
  if (req.method === "GET") {
    if (!existing) throw new ArmError(404, "NotFound", `Federated identity credential '${name}' not found.`);
    return { status: 200, body: existing.body };
  }
  if (req.method === "DELETE") {
    if (!existing) return { status: 204 };
    delete core.state.resources[key];
    core.persist();
    return { status: 200 };
  }
  if (req.method !== "PUT") return undefined;
  const p = validateFederatedCredential(name, req.body);
  const siblings = listUnder(core, `${identity.id}/federatedIdentityCredentials`, FIC_TYPE).body as {
    value: Record<string, unknown>[];
  };
  if (!existing && siblings.value.length >= 20) {
    throw new ArmError(
      400,
      "BadRequest",
      "Too many federated identity credentials: an identity can have at most 20.",
    );
  }
  const clash = siblings.value.find((s) => {
    const q = s["properties"] as Record<string, unknown>;
    return s["name"] !== name && q["issuer"] === p["issuer"] && q["subject"] === p["subject"];
  });
  if (clash) {
    throw new ArmError(
      409,
      "Conflict",
      `A federated identity credential with issuer '${String(p["issuer"])}' and subject '${String(p["subject"])}' already exists on this identity.`,
    );
  }
  const body = {
    id,
    name,
    type: FIC_TYPE,
    properties: p,
    systemData: systemData(ctxFor(core, req, id, name), existing?.body),
  };
  core.state.resources[key] = {
    id,
    type: FIC_TYPE,
    body,
    createdAt: existing?.createdAt ?? core.clock.now(),
  };
  core.persist();
  return { status: existing ? 200 : 201, body };
}
