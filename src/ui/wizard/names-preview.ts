import { deriveNames, type Names } from "../../answers/names.js";
import type { Answers, AnswersInput } from "../../answers/schema.js";

/**
 * Derived names for a candidate app name, before the rest of the answers exist. deriveNames
 * reads only `app`, `azure.subscriptionId`, `azure.names`, `azure.existing` and two pipeline
 * fields, so those are all this partial object carries. Without `existing`, the names are the
 * ones aks-bootstrap would create.
 */
export function previewNames(
  app: string,
  subscriptionId: string,
  defaults: Partial<AnswersInput>,
  existing: NonNullable<AnswersInput["azure"]["existing"]> = {},
): Names {
  const partial = {
    app,
    azure: { subscriptionId, names: defaults.azure?.names ?? {}, existing },
    pipeline: {
      namespace: defaults.pipeline?.namespace,
      imageRepository: defaults.pipeline?.imageRepository,
    },
  };
  return deriveNames(partial as unknown as Answers);
}

/** The names that must be unique across all of Azure. */
export function globalNames(names: Names): string[] {
  return [names.registryNonprod, names.registryProd, names.keyVault];
}

/** One line under the app-name prompt, updated as the operator types. */
export function previewLine(names: Names): string {
  return `${names.resourceGroupNonprod} · ${names.clusterStaging} · ${names.registryNonprod} · ${names.keyVault}`;
}
