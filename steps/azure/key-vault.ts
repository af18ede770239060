import type { Change, FieldDiff, Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { writeThenRead } from "./retry.js";
import type { ObservedKeyVault } from "../observed.js";
import {
  azureFailure,
  callOptions,
  getOrUndefined,
  mergedTags,
  resourceGroupName,
  tagDiffs,
} from "./common.js";
import { deleteQuietly, taggedOurs } from "./teardown.js";
import { preflightFinding } from "../preflight/names.js";
import { existingId, existingStep } from "./existing.js";

/** Either the live vault, or a soft-deleted one with our name that apply will recover. */
export type KeyVaultState =
  | (ObservedKeyVault & {
      readonly deleted?: false;
      readonly tenantId: string;
      readonly enableRbacAuthorization: boolean;
      readonly enableSoftDelete: boolean;
      readonly enablePurgeProtection: boolean;
      readonly tags: Readonly<Record<string, string>>;
    })
  | { readonly deleted: true; readonly name: string; readonly location?: string };

export type LiveKeyVault = Exclude<KeyVaultState, { deleted: true }>;

export function isLiveVault(v: KeyVaultState | undefined): v is LiveKeyVault {
  return v !== undefined && v.deleted !== true;
}

/**
 * Said in the destroy inventory: purge protection forbids purging, so the vault (and its
 * secrets) stays soft-deleted and its name reserved for the retention period.
 */
export const VAULT_TEARDOWN_NOTE =
  "soft-deleted, not purged: purge protection keeps it recoverable (and its name reserved) for 90 days; a later apply recovers it with its secrets";

/**
 * The CI Key Vault. Owned: RBAC authorization, soft delete, purge protection, tenant, tags.
 *
 * A soft-deleted vault with our name cannot be replaced (purge protection forbids purging it,
 * and a new vault cannot take the name), so the plan shows "recover soft-deleted vault" and
 * apply recovers it (createMode recover, which brings its secrets back). Consent is the plan
 * approval itself: the interactive confirmation, or `--yes` when non-interactive.
 */
export function keyVaultStep(deps: StepDeps): Step<KeyVaultState> {
  const name = deps.names.keyVault;
  const rg = resourceGroupName(deps, "nonprod");
  const location = deps.answers.azure.location;
  const tenantId = deps.answers.azure.tenantId;
  type Vault = Awaited<ReturnType<typeof deps.azure.keyVault.vaults.get>>;
  const toState = (v: Vault): KeyVaultState => ({
    id: v.id ?? "",
    name: v.name ?? name,
    vaultUri: v.properties.vaultUri ?? "",
    tenantId: v.properties.tenantId,
    enableRbacAuthorization: v.properties.enableRbacAuthorization ?? false,
    // Soft delete is on unless explicitly turned off (the service default since 2020).
    enableSoftDelete: v.properties.enableSoftDelete ?? true,
    enablePurgeProtection: v.properties.enablePurgeProtection ?? false,
    tags: v.tags ?? {},
  });
  if (existingId(deps, "keyVault"))
    return existingStep<Vault, KeyVaultState>(deps, {
      id: ids.azure.keyVault,
      key: "keyVault",
      side: "nonprod",
      toState,
    });
  const desiredProperties = {
    tenantId,
    sku: { family: "A" as const, name: "standard" as const },
    enableRbacAuthorization: true,
    enableSoftDelete: true,
    softDeleteRetentionInDays: 90,
    enablePurgeProtection: true,
  };
  return {
    id: ids.azure.keyVault,
    title: `Key Vault ${name}`,
    group: "azure",
    dependsOn: [ids.azure.resourceGroup("nonprod")],
    async detect(ctx) {
      const seen = preflightFinding<Vault>(ctx, name);
      if (seen?.deleted)
        return { deleted: true, name, ...(seen.deletedLocation ? { location: seen.deletedLocation } : {}) };
      if (seen !== undefined) return seen.resource ? toState(seen.resource) : undefined;
      const v = ctx.observed(ids.azure.resourceGroup("nonprod"))
        ? await getOrUndefined(() => deps.azure.keyVault.vaults.get(rg, name, { abortSignal: ctx.signal }))
        : undefined;
      if (v) return toState(v);
      const gone = await getOrUndefined(() =>
        deps.azure.keyVault.vaults.getDeleted(name, location, { abortSignal: ctx.signal }),
      );
      return gone ? { deleted: true, name, location: gone.properties?.location ?? location } : undefined;
    },
    diff(observed): Change {
      if (!observed)
        return {
          kind: "create",
          summary: `vault ${name} (RBAC authorization, soft delete, purge protection)`,
        };
      if (observed.deleted)
        return {
          kind: "create",
          summary: `recover soft-deleted vault ${name} (its secrets come back)`,
          notes: [`a soft-deleted vault named ${name} exists; it is recovered rather than replaced`],
        };
      const fields: FieldDiff[] = [];
      const want = (field: keyof LiveKeyVault & string, to: unknown) => {
        if (observed[field] !== to) fields.push({ field, from: observed[field], to });
      };
      want("enableRbacAuthorization", true);
      want("enableSoftDelete", true);
      want("enablePurgeProtection", true);
      want("tenantId", tenantId);
      fields.push(...tagDiffs(observed.tags, deps));
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    // Deleted explicitly (not just with its group) so the inventory carries the note: the
    // vault is soft-deleted, never purged.
    teardown: {
      owned: (o) => !o.deleted && taggedOurs(o.tags),
      gone: (o) => (o.deleted ? "already soft-deleted (recoverable; a later apply recovers it)" : undefined),
      note: VAULT_TEARDOWN_NOTE,
      remove: (_o, ctx) =>
        deleteQuietly(`deleting Key Vault ${name}`, () =>
          deps.azure.keyVault.vaults.delete(rg, name, { abortSignal: ctx.signal }),
        ),
    },
    async apply(_change, observed, ctx) {
      const doing = observed?.deleted ? "recovering" : observed ? "updating" : "creating";
      const read = () => deps.azure.keyVault.vaults.get(rg, name, { abortSignal: ctx.signal });
      try {
        if (observed && !observed.deleted) {
          const v = await deps.azure.keyVault.vaults.update(
            rg,
            name,
            {
              tags: mergedTags(observed.tags, deps),
              properties: {
                tenantId,
                enableRbacAuthorization: true,
                enableSoftDelete: true,
                enablePurgeProtection: true,
              },
            },
            { abortSignal: ctx.signal },
          );
          return toState(v);
        }
        if (observed?.deleted) {
          const recovered = await writeThenRead(
            deps,
            ctx,
            () =>
              deps.azure.keyVault.vaults.beginCreateOrUpdateAndWait(
                rg,
                name,
                {
                  location: observed.location ?? location,
                  tags: mergedTags(undefined, deps),
                  properties: { tenantId, sku: desiredProperties.sku, createMode: "recover" },
                },
                callOptions(deps, ctx),
              ),
            read,
          );
          // Recovery restores the old settings; converge ours on top.
          const v = await deps.azure.keyVault.vaults.update(
            rg,
            name,
            {
              tags: mergedTags(recovered.tags, deps),
              properties: {
                enableRbacAuthorization: true,
                enableSoftDelete: true,
                enablePurgeProtection: true,
              },
            },
            { abortSignal: ctx.signal },
          );
          return toState(v);
        }
        const create = () =>
          deps.azure.keyVault.vaults.beginCreateOrUpdateAndWait(
            rg,
            name,
            { location, tags: mergedTags(undefined, deps), properties: desiredProperties },
            callOptions(deps, ctx),
          );
        return toState(await writeThenRead(deps, ctx, create, read));
      } catch (err) {
        throw azureFailure(`${doing} Key Vault ${name}`, err);
      }
    },
  };
}
