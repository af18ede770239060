import type { Names } from "../../src/answers/names.js";

/**
 * Variable names in the plain variable groups (APP-staging, APP-production). The generated
 * pipeline YAML (steps/repo) reads them as $(name); both sides import these constants so a
 * rename cannot split them.
 */
export const groupVariables = {
  /** Login server of the registry the environment pulls from, e.g. crdemoprod1a2b.azurecr.io. */
  registryLoginServer: "registryLoginServer",
  /** Name of that registry (for `az acr` commands). */
  registryName: "registryName",
  /** Resource group of the environment's cluster. */
  resourceGroup: "resourceGroup",
  /** AKS cluster name. */
  clusterName: "clusterName",
  /** Kubernetes namespace the app is deployed into. */
  namespace: "namespace",
  /** Image repository inside the registries (default: the app name). */
  imageRepository: "imageRepository",
  /** Application Insights connection string of this environment (not a secret, but kept out of YAML). */
  appInsightsConnectionString: "appInsightsConnectionString",
  /** Name of the environment's Azure Resource Manager service connection (informational: YAML must name connections literally). */
  serviceConnection: "azureServiceConnection",
  /** Production group only: the non-prod registry promoted FROM by `az acr import`. */
  sourceRegistryName: "sourceRegistryName",
  /** Production group only: login server of the non-prod registry (the import source). */
  sourceRegistryLoginServer: "sourceRegistryLoginServer",
  /** Production group only: the production registry name (the import target); same value as registryName there. */
  prodRegistryName: "prodRegistryName",
} as const;

export type GroupVariable = (typeof groupVariables)[keyof typeof groupVariables];

/** Which Azure DevOps resources each pipeline uses: its permissions are exactly these. */
export interface PipelineResources {
  readonly serviceConnections: readonly string[];
  readonly variableGroups: readonly string[];
  readonly environments: readonly string[];
}

/**
 * The contract between the generated YAML and the pipeline permissions:
 * - PR: lint, build, unit tests; uses no protected resource.
 * - CI: Docker@2 push through acr-APP-nonprod; with Key Vault secrets in the answers also the
 *   secrets group and sc-APP-ci (a Key Vault linked group reads through that connection, and the
 *   pipeline must be authorized for both). With no secrets there is no group to link.
 * - CD: both environment groups, both deployment environments, sc-APP-staging (KubernetesManifest
 *   on staging) and sc-APP-prod (az acr import and KubernetesManifest on production).
 */
export function pipelineResources(
  names: Names,
  hasSecrets = true,
): Record<"pr" | "ci" | "cd", PipelineResources> {
  return {
    pr: { serviceConnections: [], variableGroups: [], environments: [] },
    ci: {
      serviceConnections: hasSecrets
        ? [names.connectionCi, names.registryConnection]
        : [names.registryConnection],
      variableGroups: hasSecrets ? [names.variableGroupSecrets] : [],
      environments: [],
    },
    cd: {
      serviceConnections: [names.connectionStaging, names.connectionProd],
      variableGroups: [names.variableGroupStaging, names.variableGroupProd],
      environments: [names.environmentStaging, names.environmentProd],
    },
  };
}

/** YAML file of each pipeline in the repository. */
export const pipelineYamlPaths = {
  pr: ".azure-pipelines/pr.yml",
  ci: ".azure-pipelines/ci.yml",
  cd: ".azure-pipelines/cd.yml",
} as const;
