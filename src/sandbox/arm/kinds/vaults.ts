import { ArmError } from "../errors.js";
import { props, type TrackedKind } from "../kinds.js";
import { trackedEnvelope } from "../shape.js";

/** Microsoft.KeyVault/vaults (spec 2026-02-01): 3-24 chars, soft delete always on, purge protection one-way. */
export function vaultNameError(name: string): string | undefined {
  if (!/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(name) || name.includes("--")) {
    return `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens. Follow this link for more information: https://go.microsoft.com/fwlink/?linkid=2147742`;
  }
  return undefined;
}

export const vaults: TrackedKind = {
  namespace: "Microsoft.KeyVault",
  typeName: "vaults",
  validateName: vaultNameError,
  nameErrorCode: "VaultNameNotValid",
  globallyUnique: true,
  missingCode: "BadRequest",
  shape: {
    required: ["location", "properties"],
    fields: {
      ...trackedEnvelope,
      properties: {
        required: ["tenantId", "sku"],
        fields: {
          tenantId: "string",
          sku: {
            required: ["family", "name"],
            fields: { family: { enum: ["A"] }, name: { enum: ["standard", "premium"] } },
          },
          accessPolicies: "array",
          vaultUri: "string",
          enabledForDeployment: "boolean",
          enabledForDiskEncryption: "boolean",
          enabledForTemplateDeployment: "boolean",
          enableSoftDelete: "boolean",
          softDeleteRetentionInDays: "integer",
          enableRbacAuthorization: "boolean",
          createMode: { enum: ["recover", "default"] },
          enablePurgeProtection: "boolean",
          networkAcls: "object",
          publicNetworkAccess: "string",
        },
      },
    },
  },
  check(body, ctx, existing) {
    const p = props(body);
    if (String(p["tenantId"]).toLowerCase() !== ctx.core.state.tenantId.toLowerCase()) {
      throw new ArmError(
        400,
        "BadRequest",
        `The tenant '${String(p["tenantId"])}' is not the tenant of this subscription.`,
      );
    }
    if (p["enableSoftDelete"] === false) {
      throw new ArmError(
        400,
        "BadRequest",
        'The property "enableSoftDelete" cannot be set to false. Soft delete is always enabled on vaults.',
      );
    }
    const days = p["softDeleteRetentionInDays"];
    if (days !== undefined && (typeof days !== "number" || days < 7 || days > 90)) {
      throw new ArmError(
        400,
        "BadRequest",
        'The property "softDeleteRetentionInDays" must be between 7 and 90.',
      );
    }
    if (
      existing &&
      props(existing)["enablePurgeProtection"] === true &&
      p["enablePurgeProtection"] === false
    ) {
      throw new ArmError(
        400,
        "BadRequest",
        'The property "enablePurgeProtection" cannot be set to false. Enabling the purge protection for a vault is an irreversible action.',
      );
    }
    const deleted = ctx.core.state.deletedVaults[ctx.name.toLowerCase()];
    const recover = String(p["createMode"] ?? "").toLowerCase() === "recover";
    if (!existing && deleted && !recover) {
      throw new ArmError(
        409,
        "ConflictError",
        `A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete.`,
      );
    }
    if (!existing && recover && !deleted) {
      throw new ArmError(
        404,
        "DeletedVaultNotFound",
        `A deleted vault with the name '${ctx.name}' was not found.`,
      );
    }
  },
  build(body, ctx, existing) {
    const p = props(body);
    const prev = existing ? props(existing) : {};
    const deleted = ctx.core.state.deletedVaults[ctx.name.toLowerCase()];
    const recovered = !existing && deleted ? props(deleted.body) : {};
    const merged: Record<string, unknown> = { ...recovered, ...p };
    delete merged["createMode"];
    const purge =
      prev["enablePurgeProtection"] === true ||
      recovered["enablePurgeProtection"] === true ||
      p["enablePurgeProtection"] === true;
    return {
      properties: {
        ...merged,
        accessPolicies: merged["accessPolicies"] ?? [],
        enabledForDeployment: merged["enabledForDeployment"] ?? false,
        enabledForDiskEncryption: merged["enabledForDiskEncryption"] ?? false,
        enabledForTemplateDeployment: merged["enabledForTemplateDeployment"] ?? false,
        enableSoftDelete: true,
        softDeleteRetentionInDays: merged["softDeleteRetentionInDays"] ?? 90,
        enableRbacAuthorization: merged["enableRbacAuthorization"] ?? true,
        ...(purge ? { enablePurgeProtection: true } : {}),
        publicNetworkAccess: merged["publicNetworkAccess"] ?? "Enabled",
        vaultUri: prev["vaultUri"] ?? "",
      },
    };
  },
  async afterPut(resource, ctx) {
    delete ctx.core.state.deletedVaults[ctx.name.toLowerCase()];
    const p = props(resource);
    if (ctx.core.ensureVault) p["vaultUri"] = await ctx.core.ensureVault(ctx.name);
  },
  afterDelete(resource, ctx) {
    const p = props(resource);
    const now = ctx.core.clock.now();
    const days = Number(p["softDeleteRetentionInDays"] ?? 90);
    ctx.core.state.deletedVaults[ctx.name.toLowerCase()] = {
      name: String(resource["name"]),
      location: String(resource["location"]),
      vaultId: String(resource["id"]),
      deletionDate: now,
      scheduledPurgeDate: now + days * 86400_000,
      purgeProtectionEnabled: p["enablePurgeProtection"] === true,
      tags: (resource["tags"] as Record<string, string>) ?? {},
      body: resource,
    };
  },
};

export function deletedVaultBody(
  sub: string,
  d: {
    name: string;
    location: string;
    vaultId: string;
    deletionDate: number;
    scheduledPurgeDate: number;
    purgeProtectionEnabled: boolean;
    tags: Record<string, string>;
  },
) {
  return {
    id: `/subscriptions/${sub}/providers/Microsoft.KeyVault/locations/${d.location}/deletedVaults/${d.name}`,
    name: d.name,
    type: "Microsoft.KeyVault/deletedVaults",
    properties: {
      vaultId: d.vaultId,
      location: d.location,
      deletionDate: new Date(d.deletionDate).toISOString(),
      scheduledPurgeDate: new Date(d.scheduledPurgeDate).toISOString(),
      tags: d.tags,
      purgeProtectionEnabled: d.purgeProtectionEnabled,
    },
  };
}
