import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { federatedCredentialSteps } from "../azure/federated-credential.js";
import { approvalCheckStep } from "./approval-check.js";
import { branchPolicyStep } from "./branch-policy.js";
import { environmentStep } from "./environment.js";
import { pipelineStep } from "./pipeline.js";
import { createPermissionsCache } from "./permissions-cache.js";
import { pipelinePermissionsStep } from "./pipeline-permissions.js";
import { devopsSignInStep } from "./preflight-auth.js";
import { manualValidatorsSteps } from "./manual-validators.js";
import { projectStep } from "./project.js";
import { registryConnectionStep } from "./registry-connection.js";
import { repositoryStep } from "./repository.js";
import { serviceConnectionStep } from "./service-connection.js";
import { environmentVariableGroupStep, secretsVariableGroupStep } from "./variable-group.js";

/**
 * Every Azure DevOps object: project, repository, connections, environments and their check,
 * variable groups, pipelines, their permissions and the branch policies.
 *
 * Also the federated credentials on the pipeline identities (steps/azure/federated-credential.ts,
 * group "azure"): they need the issuer and subject these connections report, so they belong to
 * this family's run; azureSteps() does not include them.
 *
 * And the Azure DevOps sign-in preflight (ids.preflight.devopsAuth), which the project step
 * waits for; list it among the Azure side's preflight roots too, so a bad Azure DevOps
 * credential stops the run before any Azure resource is made.
 *
 * They depend on Azure steps (identities, registries, vault, clusters, App Insights, the vault
 * role assignment) and on the repo files step, so a run holds those too.
 */
export function devopsSteps(deps: StepDeps): Step[] {
  const permissions = createPermissionsCache(deps);
  return [
    devopsSignInStep(deps),
    projectStep(deps, { afterSignIn: true }),
    repositoryStep(deps),
    serviceConnectionStep(deps, "ci"),
    serviceConnectionStep(deps, "staging"),
    serviceConnectionStep(deps, "prod"),
    registryConnectionStep(deps),
    environmentStep(deps, "staging"),
    environmentStep(deps, "prod"),
    approvalCheckStep(deps),
    ...manualValidatorsSteps(deps),
    secretsVariableGroupStep(deps),
    environmentVariableGroupStep(deps, "staging"),
    environmentVariableGroupStep(deps, "prod"),
    pipelineStep(deps, "pr"),
    pipelineStep(deps, "ci"),
    pipelineStep(deps, "cd"),
    pipelinePermissionsStep(deps, "pr", permissions),
    pipelinePermissionsStep(deps, "ci", permissions),
    pipelinePermissionsStep(deps, "cd", permissions),
    branchPolicyStep(deps, "build"),
    branchPolicyStep(deps, "reviewers"),
    ...federatedCredentialSteps(deps),
  ] as Step[];
}
