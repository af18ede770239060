import { UserError } from "../../src/engine/errors.js";
import type { Change, FieldDiff, Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { azureFailure, statusCode } from "./common.js";
import { isLiveVault, type KeyVaultState } from "./key-vault.js";
import { OPERATOR_SECRETS_OFFICER } from "./role-assignments.js";
import { retryPropagation, type PropagationRetry } from "./retry.js";

export interface SecretsState {
  /** Names of the secrets that exist (values are never read). */
  readonly names: readonly string[];
  /** Wanted secrets that are soft-deleted: recovered (with their old value), not re-set. */
  readonly deleted?: readonly string[];
  /** The operator's role was not yet effective, so the names could not be listed. */
  readonly unreadable?: boolean;
}

const has = (names: readonly string[] | undefined, name: string) =>
  (names ?? []).some((n) => n.toLowerCase() === name.toLowerCase());

/** A new RBAC role assignment takes a while to reach Key Vault's data plane. */
const roleNotYetEffective: PropagationRetry = {
  retryable: (err) => statusCode(err) === 403,
  waitingFor: "waiting for the Key Vault Secrets Officer role to take effect",
};

/**
 * The CI secrets named in the answers exist in the vault. Existing secrets are detected by
 * name only and never read or overwritten; missing ones get their value from the prompt or
 * the environment variable the answers name (deps.secretValue), which never leaves memory.
 */
export function keyVaultSecretsStep(deps: StepDeps): Step<SecretsState> {
  const wanted = deps.answers.keyVault.secrets;
  const operatorRole = ids.azure.roleAssignment(OPERATOR_SECRETS_OFFICER);
  const vaultOf = (ctx: StepContext) => {
    const v = ctx.observed<KeyVaultState>(ids.azure.keyVault);
    return isLiveVault(v) ? v : undefined;
  };
  async function listNames(vaultUri: string, ctx: StepContext): Promise<string[]> {
    const names: string[] = [];
    for await (const p of deps.azure.secrets(vaultUri).listPropertiesOfSecrets({ abortSignal: ctx.signal }))
      names.push(p.name);
    return names;
  }
  /** Read only when something is missing, so a converged rerun stays at one list. */
  async function listDeleted(
    vaultUri: string,
    names: readonly string[],
    ctx: StepContext,
  ): Promise<string[]> {
    if (wanted.every((s) => has(names, s.name))) return [];
    const deleted: string[] = [];
    for await (const d of deps.azure.secrets(vaultUri).listDeletedSecrets({ abortSignal: ctx.signal }))
      if (wanted.some((s) => s.name.toLowerCase() === d.name.toLowerCase())) deleted.push(d.name);
    return deleted;
  }
  return {
    id: ids.azure.keyVaultSecrets,
    title: `Key Vault secrets (${wanted.length})`,
    group: "azure",
    dependsOn: wanted.length ? [ids.azure.keyVault, operatorRole] : [ids.azure.keyVault],
    async detect(ctx) {
      const vault = vaultOf(ctx);
      if (!wanted.length) return { names: [] };
      if (!vault?.vaultUri) return undefined;
      try {
        const names = await listNames(vault.vaultUri, ctx);
        const deleted = await listDeleted(vault.vaultUri, names, ctx);
        return { names, ...(deleted.length ? { deleted } : {}) };
      } catch (err) {
        // Before the operator's role exists (first run, or the role was removed) listing is denied.
        if (statusCode(err) === 403) return { names: [], unreadable: true };
        throw azureFailure(`listing the secrets of Key Vault ${vault.name}`, err);
      }
    },
    diff(observed): Change {
      const missing = wanted.filter((s) => !has(observed?.names, s.name));
      if (!missing.length) return { kind: "noop" };
      const fields: FieldDiff[] = missing.map((s) =>
        has(observed?.deleted, s.name)
          ? { field: `secret ${s.name}`, from: "soft-deleted", to: "recovered" }
          : { field: `secret ${s.name}`, from: "missing", to: `set from ${s.env}` },
      );
      const notes = observed?.unreadable
        ? ["secret names could not be listed yet; existing ones are kept, not overwritten"]
        : undefined;
      if (!observed || observed.names.length === 0)
        return {
          kind: "create",
          summary: fields.map((f) => f.field).join(", "),
          ...(notes ? { notes } : {}),
        };
      return { kind: "update", fields, ...(notes ? { notes } : {}) };
    },
    teardown: {
      owned: (o) => wanted.some((s) => has(o.names, s.name)),
      // Normally they go with the vault; alone (the vault is not ours) they are soft-deleted.
      containedIn: ids.azure.keyVault,
      note: "soft-deleted with the vault, not purged: recoverable",
      async remove(o, ctx) {
        const vault = vaultOf(ctx);
        if (!vault?.vaultUri) return;
        const client = deps.azure.secrets(vault.vaultUri);
        for (const s of wanted.filter((w) => has(o.names, w.name))) {
          try {
            const poller = await client.beginDeleteSecret(s.name, {
              abortSignal: ctx.signal,
              intervalInMs: deps.azure.lro.updateIntervalInMs,
            });
            await poller.pollUntilDone();
          } catch (err) {
            if (statusCode(err) !== 404) throw azureFailure(`deleting secret ${s.name}`, err);
          }
        }
      },
    },
    async apply(_change, _observed, ctx) {
      const vault = vaultOf(ctx);
      if (!vault?.vaultUri)
        throw new UserError(`Setting Key Vault secrets: the vault ${deps.names.keyVault} is not available.`);
      try {
        // Listed again: never overwrite a secret that exists (perhaps set since the plan).
        const existing = await retryPropagation(deps, ctx, [roleNotYetEffective], () =>
          listNames(vault.vaultUri, ctx),
        );
        const deleted = await listDeleted(vault.vaultUri, existing, ctx);
        const client = deps.azure.secrets(vault.vaultUri);
        // A soft-deleted secret's name cannot be reused (409): recover it, value and all.
        for (const name of deleted) {
          ctx.progress(`recovering soft-deleted secret ${name}`);
          const poller = await client.beginRecoverDeletedSecret(name, {
            abortSignal: ctx.signal,
            intervalInMs: deps.azure.lro.updateIntervalInMs,
          });
          await poller.pollUntilDone();
          existing.push(name);
        }
        const missing = wanted.filter((s) => !has(existing, s.name));
        // One at a time: the source may be a masked prompt, and prompts must not overlap.
        const values: { name: string; env: string; value: string | undefined }[] = [];
        for (const s of missing) values.push({ ...s, value: await deps.secretValue(s) });
        const unset = values.filter((s) => s.value === undefined || s.value === "");
        if (unset.length)
          throw new UserError(
            `Setting Key Vault secrets: no value for ${unset.map((s) => `${s.name} (environment variable ${s.env})`).join(", ")}.`,
            `Export ${unset.map((s) => s.env).join(", ")} before running non-interactively, or run interactively to be prompted.`,
          );
        for (const s of values) {
          ctx.progress(`setting ${s.name}`);
          await retryPropagation(deps, ctx, [roleNotYetEffective], () =>
            client.setSecret(s.name, s.value as string, { abortSignal: ctx.signal }),
          );
          existing.push(s.name);
        }
        return { names: existing };
      } catch (err) {
        throw azureFailure(`setting the secrets of Key Vault ${vault.name}`, err);
      }
    },
  };
}
