import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { appInsightsStep } from "./app-insights.js";
import { clusterStep } from "./aks.js";
import { containerInsightsStep } from "./container-insights.js";
import { identityStep } from "./identity.js";
import { keyVaultStep } from "./key-vault.js";
import { keyVaultSecretsStep } from "./key-vault-secrets.js";
import { workspaceStep } from "./log-analytics.js";
import { registryStep } from "./registry.js";
import { resourceGroupStep } from "./resource-group.js";
import { roleAssignmentSteps } from "./role-assignments.js";
import { aksVersionsPreflightId, aksVersionsPreflightStep } from "../preflight/aks-versions.js";
import { credentialPreflightStep } from "../preflight/credential.js";
import { namesPreflightStep } from "../preflight/names.js";
import { providersPreflightStep } from "../preflight/providers.js";
import { rolePermissionPreflightStep } from "../preflight/role-permission.js";
import { subscriptionPreflightStep } from "../preflight/subscription.js";
import { existingResourcesPreflightStep } from "../preflight/existing-resources.js";
import { existingId } from "./existing.js";

/** Whether the answers name any existing resource (azure.existing): only then is it checked. */
function usesExisting(deps: StepDeps): boolean {
  return Object.values(deps.answers.azure.existing).some((id) => id !== undefined);
}

/** Ids of every Azure preflight step; the resource groups (and so everything) wait for them. */
export function azurePreflightIds(deps: StepDeps): readonly string[] {
  return [
    ids.preflight.credential,
    ids.preflight.subscription,
    ids.preflight.providers,
    ids.preflight.roleAssignPermission,
    ids.preflight.names,
    ...(usesExisting(deps) ? [ids.preflight.existingResources] : []),
    aksVersionsPreflightId,
  ];
}

/** Preflight: sign-in, subscription, providers, permission, names, existing resources, AKS region/version. */
export function preflightSteps(deps: StepDeps): Step[] {
  return [
    credentialPreflightStep(deps),
    subscriptionPreflightStep(deps),
    providersPreflightStep(deps),
    rolePermissionPreflightStep(deps),
    namesPreflightStep(deps),
    ...(usesExisting(deps) ? [existingResourcesPreflightStep(deps)] : []),
    aksVersionsPreflightStep(deps),
  ];
}

export interface AzureStepsOptions {
  /**
   * The run also holds preflightSteps(deps): the resource groups wait for them (default true).
   * False for a run without preflight (tests of one family).
   */
  readonly afterPreflight?: boolean;
  /**
   * More steps the resource groups (and so every Azure write) wait for, e.g. the Azure DevOps
   * sign-in check, so a refused credential stops the run before anything is created.
   */
  readonly alsoAfter?: readonly string[];
}

/**
 * Every Azure resource, role assignment and secret. Dependencies follow data only: both
 * registries, the vault, the identities and the workspaces start as soon as their resource
 * group exists; each cluster as soon as its workspace does; a role assignment as soon as its
 * principal and scope do.
 */
export function azureSteps(deps: StepDeps, options: AzureStepsOptions = {}): Step[] {
  const roots = [
    ...(options.afterPreflight === false ? [] : azurePreflightIds(deps)),
    ...(options.alsoAfter ?? []),
  ];
  return [
    resourceGroupStep(deps, "nonprod", roots),
    resourceGroupStep(deps, "prod", roots),
    workspaceStep(deps, "nonprod"),
    workspaceStep(deps, "prod"),
    appInsightsStep(deps, "staging"),
    appInsightsStep(deps, "prod"),
    registryStep(deps, "nonprod"),
    registryStep(deps, "prod"),
    keyVaultStep(deps),
    clusterStep(deps, "staging"),
    clusterStep(deps, "prod"),
    // An existing cluster's monitoring is its owner's: no data-collection rule is attached to it.
    ...(existingId(deps, "clusterStaging") ? [] : [containerInsightsStep(deps, "staging")]),
    ...(existingId(deps, "clusterProd") ? [] : [containerInsightsStep(deps, "prod")]),
    identityStep(deps, "ci"),
    identityStep(deps, "staging"),
    identityStep(deps, "prod"),
    ...roleAssignmentSteps(deps),
    keyVaultSecretsStep(deps),
  ];
}
