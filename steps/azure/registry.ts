import type { Change, FieldDiff, Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type Side } from "../ids.js";
import type { ObservedRegistry } from "../observed.js";
import {
  azureFailure,
  callOptions,
  getOrUndefined,
  mergedTags,
  resourceGroupName,
  tagDiffs,
} from "./common.js";
import { deleteQuietly, taggedTeardown } from "./teardown.js";
import { writeThenRead } from "./retry.js";
import { preflightFinding } from "../preflight/names.js";
import { existingId, existingStep } from "./existing.js";

export interface RegistryState extends ObservedRegistry {
  readonly adminUserEnabled: boolean;
  readonly sku?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export function registryName(deps: StepDeps, side: Side): string {
  return side === "nonprod" ? deps.names.registryNonprod : deps.names.registryProd;
}

/**
 * Container registry of one side. Owned: admin user disabled (pipelines and kubelets use
 * Entra roles) and tags. The SKU is Standard at creation; a later upgrade is the operator's.
 */
export function registryStep(deps: StepDeps, side: Side): Step<RegistryState> {
  const name = registryName(deps, side);
  const rg = resourceGroupName(deps, side);
  type Registry = Awaited<ReturnType<typeof deps.azure.registry.registries.get>>;
  const toState = (r: Registry): RegistryState => ({
    id: r.id ?? "",
    name: r.name ?? name,
    loginServer: r.loginServer ?? `${name}.azurecr.io`,
    adminUserEnabled: r.adminUserEnabled ?? false,
    ...(r.sku?.name ? { sku: r.sku.name } : {}),
    tags: r.tags ?? {},
  });
  const key = side === "nonprod" ? "registryNonprod" : "registryProd";
  if (existingId(deps, key))
    return existingStep<Registry, RegistryState>(deps, { id: ids.azure.registry(side), key, side, toState });
  return {
    id: ids.azure.registry(side),
    title: `Container registry ${name}`,
    group: "azure",
    dependsOn: [ids.azure.resourceGroup(side)],
    async detect(ctx) {
      if (!ctx.observed(ids.azure.resourceGroup(side))) return undefined;
      // The names preflight may already have read it (to tell ours from someone else's).
      const seen = preflightFinding<Registry>(ctx, name);
      if (seen !== undefined) return seen.resource ? toState(seen.resource) : undefined;
      const r = await getOrUndefined(() =>
        deps.azure.registry.registries.get(rg, name, callOptions(deps, ctx)),
      );
      return r ? toState(r) : undefined;
    },
    diff(observed): Change {
      if (!observed) return { kind: "create", summary: `registry ${name} (Standard, admin user disabled)` };
      const fields: FieldDiff[] = [];
      if (observed.adminUserEnabled) fields.push({ field: "adminUserEnabled", from: true, to: false });
      fields.push(...tagDiffs(observed.tags, deps));
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    teardown: taggedTeardown(
      side,
      (o) => o.tags,
      (_o, ctx) =>
        deleteQuietly(`deleting container registry ${name}`, () =>
          deps.azure.registry.registries.beginDeleteAndWait(rg, name, {
            abortSignal: ctx.signal,
            updateIntervalInMs: deps.azure.lro.updateIntervalInMs,
          }),
        ),
    ),
    async apply(_change, observed, ctx) {
      try {
        const read = () => deps.azure.registry.registries.get(rg, name, { abortSignal: ctx.signal });
        const write = () =>
          observed
            ? deps.azure.registry.registries.beginUpdateAndWait(
                rg,
                name,
                { adminUserEnabled: false, tags: mergedTags(observed.tags, deps) },
                callOptions(deps, ctx),
              )
            : deps.azure.registry.registries.beginCreateAndWait(
                rg,
                name,
                {
                  location: deps.answers.azure.location,
                  sku: { name: "Standard" },
                  adminUserEnabled: false,
                  tags: mergedTags(undefined, deps),
                },
                callOptions(deps, ctx),
              );
        return toState(await writeThenRead(deps, ctx, write, read));
      } catch (err) {
        throw azureFailure(`${observed ? "updating" : "creating"} container registry ${name}`, err);
      }
    },
  };
}
