import { UserError } from "../../src/engine/errors.js";
import type { Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { azureFailure, getOrUndefined, peek, resourceGroupName } from "../azure/common.js";
import { existingId } from "../azure/existing.js";

/** What preflight learnt about one globally unique name. */
export interface NameFinding {
  /** Free for anyone to take: nothing of ours exists under it. */
  readonly available: boolean;
  /** Ours, as read from our resource group (the resource step reuses it: one read per run). */
  readonly resource?: unknown;
  /** A soft-deleted vault with this name that the Key Vault step will recover. */
  readonly deleted?: boolean;
  readonly deletedLocation?: string;
}

export interface NamesState {
  readonly findings: Readonly<Record<string, NameFinding>>;
}

/**
 * What preflight saw under `name`, for the resource step to reuse instead of reading again.
 * `undefined` when preflight did not run or did not look.
 */
export function preflightFinding<T>(
  ctx: StepContext,
  name: string,
): { readonly resource?: T; readonly deleted?: boolean; readonly deletedLocation?: string } | undefined {
  const finding = peek<NamesState>(ctx, ids.preflight.names)?.findings[name];
  if (!finding) return undefined;
  return finding as { resource?: T; deleted?: boolean; deletedLocation?: string };
}

type Checker = (name: string, ctx: StepContext) => Promise<boolean>;

/**
 * Registry and vault names are global across Azure. Each is checked with checkNameAvailability;
 * a name that is taken is fine when the holder is ours (found in our resource group), or a
 * soft-deleted vault of ours (recovered by the Key Vault step). Otherwise the step fails before
 * anything is created, suggesting the next free name.
 */
export function namesPreflightStep(deps: StepDeps): Step<NamesState> {
  const location = deps.answers.azure.location;
  const registryFree: Checker = async (name, ctx) =>
    (
      await deps.azure.registry.registries.checkNameAvailability(
        { name, type: "Microsoft.ContainerRegistry/registries" },
        { abortSignal: ctx.signal },
      )
    ).nameAvailable === true;
  const vaultFree: Checker = async (name, ctx) =>
    (
      await deps.azure.keyVault.vaults.checkNameAvailability(
        { name, type: "Microsoft.KeyVault/vaults" },
        { abortSignal: ctx.signal },
      )
    ).nameAvailable === true;
  // Existing registries and vaults (azure.existing) hold their names already: nothing to check.
  const registries = [
    {
      name: deps.names.registryNonprod,
      rg: resourceGroupName(deps, "nonprod"),
      answer: "registryNonprod" as const,
    },
    { name: deps.names.registryProd, rg: resourceGroupName(deps, "prod"), answer: "registryProd" as const },
  ].filter((r) => !existingId(deps, r.answer));
  const checkVault = !existingId(deps, "keyVault");
  const vaultRg = resourceGroupName(deps, "nonprod");
  return {
    id: ids.preflight.names,
    title: "Registry and Key Vault names are available",
    group: "preflight",
    dependsOn: [ids.preflight.credential],
    async detect(ctx) {
      const findings: Record<string, NameFinding> = {};
      const problems: string[] = [];
      // The answer that made the name: a pinned one (azure.names.X), else the app name.
      const fields: string[] = [];
      const fieldOf = (answer: "registryNonprod" | "registryProd" | "keyVault") =>
        deps.answers.azure.names[answer] ? `azure.names.${answer}` : "app";
      const registryChecks = registries.map(async ({ name, rg, answer }) => {
        if (await registryFree(name, ctx)) return void (findings[name] = { available: true });
        const ours = await getOrUndefined(() =>
          deps.azure.registry.registries.get(rg, name, { abortSignal: ctx.signal }),
        );
        if (ours) return void (findings[name] = { available: false, resource: ours });
        const next = await nextFree(name, 50, (n) => registryFree(n, ctx));
        problems.push(
          `registry name ${name} is taken by another subscription or resource group${suggest(answer, next)}`,
        );
        fields.push(fieldOf(answer));
      });
      const vaultCheck = (async () => {
        if (!checkVault) return;
        const name = deps.names.keyVault;
        if (await vaultFree(name, ctx)) return void (findings[name] = { available: true });
        const ours = await getOrUndefined(() =>
          deps.azure.keyVault.vaults.get(vaultRg, name, { abortSignal: ctx.signal }),
        );
        if (ours) return void (findings[name] = { available: false, resource: ours });
        const gone = await getOrUndefined(() =>
          deps.azure.keyVault.vaults.getDeleted(name, location, { abortSignal: ctx.signal }),
        );
        if (gone) {
          const deletedLocation = gone.properties?.location ?? location;
          return void (findings[name] = { available: false, deleted: true, deletedLocation });
        }
        const next = await nextFree(name, 24, (n) => vaultFree(n, ctx));
        problems.push(
          `Key Vault name ${name} is taken by another subscription or resource group${suggest("keyVault", next)}`,
        );
        fields.push(fieldOf("keyVault"));
      })();
      try {
        await Promise.all([...registryChecks, vaultCheck]);
      } catch (err) {
        throw azureFailure("checking registry and Key Vault names", err);
      }
      if (problems.length)
        throw new UserError(
          `Checking names: ${problems.join("; ")}.`,
          "Pin a free name under azure.names in the answers file (or pick another app name), then rerun.",
          fields[0] ? { field: fields[0] } : {},
        );
      return { findings };
    },
    diff(observed) {
      const notes = Object.entries(observed?.findings ?? {})
        .filter(([, f]) => f.deleted)
        .map(([name]) => `soft-deleted Key Vault ${name} found: it will be recovered`);
      return notes.length ? { kind: "noop", notes } : { kind: "noop" };
    },
    async apply() {},
  };
}

function suggest(answer: string, next: string | undefined): string {
  return next ? ` (set azure.names.${answer}: ${next} to use the next free name)` : "";
}

/** First of name2..name9 (trimmed to fit `max`) that is free. */
async function nextFree(
  name: string,
  max: number,
  free: (n: string) => Promise<boolean>,
): Promise<string | undefined> {
  for (let i = 2; i <= 9; i++) {
    const candidate = `${name.slice(0, max - 1)}${i}`;
    if (await free(candidate)) return candidate;
  }
  return undefined;
}
