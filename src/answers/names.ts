import { createHash } from "node:crypto";
import type { Answers } from "./schema.js";
import { parseArmId } from "./arm-id.js";

/** Every resource name the tool converges, derived from the answers (CAF abbreviations). */
export interface Names {
  readonly resourceGroupNonprod: string;
  readonly resourceGroupProd: string;
  readonly workspaceNonprod: string;
  readonly workspaceProd: string;
  readonly appInsightsStaging: string;
  readonly appInsightsProd: string;
  readonly registryNonprod: string;
  readonly registryProd: string;
  readonly keyVault: string;
  readonly clusterStaging: string;
  readonly clusterProd: string;
  readonly identityCi: string;
  readonly identityStaging: string;
  readonly identityProd: string;
  readonly connectionCi: string;
  readonly connectionStaging: string;
  readonly connectionProd: string;
  readonly registryConnection: string;
  readonly environmentStaging: string;
  readonly environmentProd: string;
  readonly variableGroupSecrets: string;
  readonly variableGroupStaging: string;
  readonly variableGroupProd: string;
  readonly pipelinePr: string;
  readonly pipelineCi: string;
  readonly pipelineCd: string;
  readonly namespace: string;
  readonly imageRepository: string;
}

/**
 * Short deterministic token for globally unique names: same subscription + app -> same names,
 * so a rerun finds what the first run created.
 */
export function nameToken(subscriptionId: string, app: string): string {
  return createHash("sha256").update(`${subscriptionId.toLowerCase()}/${app}`).digest("hex").slice(0, 4);
}

/** Data-collection rule name used by Container Insights: MSCI-<region>-<cluster>, at most 64 chars. */
export function containerInsightsDcrName(location: string, cluster: string): string {
  return `MSCI-${location}-${cluster}`.slice(0, 64);
}

export function deriveNames(answers: Answers): Names {
  const { app } = answers;
  // An existing resource's name comes from its id; otherwise the pinned or derived one.
  const existing = answers.azure.existing;
  const from = (id: string | undefined) => (id ? parseArmId(id)?.name : undefined);
  const o = {
    ...answers.azure.names,
    ...Object.fromEntries(
      Object.entries(existing)
        .map(([key, id]) => [key, from(id)])
        .filter(([, name]) => name !== undefined),
    ),
  } as Answers["azure"]["names"];
  const token = nameToken(answers.azure.subscriptionId, app);
  const alnum = app.replace(/[^a-z0-9]/g, "");
  // Key Vault: 3-24 chars; "kv-" + app + "-ci-" + token must fit.
  const kvApp = app.slice(0, 24 - "kv--ci-".length - token.length).replace(/-+$/, "");
  return {
    resourceGroupNonprod: o.resourceGroupNonprod ?? `rg-${app}-nonprod`,
    resourceGroupProd: o.resourceGroupProd ?? `rg-${app}-prod`,
    workspaceNonprod: o.workspaceNonprod ?? `log-${app}-nonprod`,
    workspaceProd: o.workspaceProd ?? `log-${app}-prod`,
    appInsightsStaging: o.appInsightsStaging ?? `appi-${app}-staging`,
    appInsightsProd: o.appInsightsProd ?? `appi-${app}-prod`,
    registryNonprod: o.registryNonprod ?? `cr${alnum}nonprod${token}`,
    registryProd: o.registryProd ?? `cr${alnum}prod${token}`,
    keyVault: o.keyVault ?? `kv-${kvApp}-ci-${token}`,
    clusterStaging: o.clusterStaging ?? `aks-${app}-staging`,
    clusterProd: o.clusterProd ?? `aks-${app}-prod`,
    identityCi: `id-${app}-ci`,
    identityStaging: `id-${app}-staging`,
    identityProd: `id-${app}-prod`,
    connectionCi: `sc-${app}-ci`,
    connectionStaging: `sc-${app}-staging`,
    connectionProd: `sc-${app}-prod`,
    registryConnection: `acr-${app}-nonprod`,
    environmentStaging: `${app}-staging`,
    environmentProd: `${app}-production`,
    variableGroupSecrets: `${app}-ci-secrets`,
    variableGroupStaging: `${app}-staging`,
    variableGroupProd: `${app}-production`,
    pipelinePr: `${app}-pr`,
    pipelineCi: `${app}-ci`,
    pipelineCd: `${app}-cd`,
    namespace: answers.pipeline.namespace ?? app,
    imageRepository: answers.pipeline.imageRepository ?? app,
  };
}
