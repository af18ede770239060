import { ArmError } from "../errors.js";
import { props, type TrackedKind } from "../kinds.js";
import { trackedEnvelope } from "../shape.js";

/** Microsoft.ContainerRegistry/registries (spec 2025-11-01): 5-50 alphanumerics, globally unique. */
export function registryNameError(name: string): string | undefined {
  if (!/^[a-zA-Z0-9]{5,50}$/.test(name)) {
    return `The registry name '${name}' is invalid. Registry names may contain only alpha numeric characters and must be between 5 and 50 characters.`;
  }
  return undefined;
}

export const registries: TrackedKind = {
  namespace: "Microsoft.ContainerRegistry",
  typeName: "registries",
  validateName: registryNameError,
  nameErrorCode: "InvalidResourceName",
  globallyUnique: true,
  createSeconds: 10,
  shape: {
    required: ["sku"],
    fields: {
      ...trackedEnvelope,
      sku: {
        required: ["name"],
        fields: { name: { enum: ["Classic", "Basic", "Standard", "Premium"] }, tier: "string" },
      },
      identity: "object",
      properties: {
        fields: {
          adminUserEnabled: "boolean",
          publicNetworkAccess: { enum: ["Enabled", "Disabled"] },
          zoneRedundancy: { enum: ["Enabled", "Disabled"] },
          anonymousPullEnabled: "boolean",
          dataEndpointEnabled: "boolean",
          networkRuleSet: "object",
          policies: "object",
          encryption: "object",
          networkRuleBypassOptions: { enum: ["AzureServices", "None"] },
          roleAssignmentMode: "string",
        },
      },
    },
  },
  check(body) {
    const sku = String((body["sku"] as Record<string, unknown>)["name"]);
    if (sku === "Classic")
      throw new ArmError(400, "ClassicSkuNotSupported", "Classic SKU is no longer supported.");
  },
  build(body, ctx, existing) {
    const p = props(body);
    const prev = existing ? props(existing) : {};
    const sku = String((body["sku"] as Record<string, unknown>)["name"]);
    return {
      sku: { name: sku, tier: sku },
      properties: {
        loginServer: `${ctx.name.toLowerCase()}.azurecr.io`,
        creationDate: prev["creationDate"] ?? new Date(ctx.core.clock.now()).toISOString(),
        adminUserEnabled: p["adminUserEnabled"] ?? false,
        policies: p["policies"] ?? {
          quarantinePolicy: { status: "disabled" },
          trustPolicy: { type: "Notary", status: "disabled" },
          retentionPolicy: { days: 7, status: "disabled" },
          exportPolicy: { status: "enabled" },
        },
        encryption: { status: "disabled" },
        dataEndpointEnabled: p["dataEndpointEnabled"] ?? false,
        dataEndpointHostNames: [],
        privateEndpointConnections: [],
        publicNetworkAccess: p["publicNetworkAccess"] ?? "Enabled",
        networkRuleBypassOptions: p["networkRuleBypassOptions"] ?? "AzureServices",
        zoneRedundancy: p["zoneRedundancy"] ?? "Disabled",
        anonymousPullEnabled: p["anonymousPullEnabled"] ?? false,
      },
    };
  },
};
