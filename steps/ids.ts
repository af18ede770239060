/**
 * Step ids shared across step families. A step in one family depends on another family's
 * step only through these constants, and reads its observed state through the types in
 * ./observed.ts.
 */
export type Side = "nonprod" | "prod";
export type Stage = "staging" | "prod";
export type PipelineRole = "ci" | "staging" | "prod";

export const ids = {
  preflight: {
    credential: "preflight/credential",
    subscription: "preflight/subscription",
    providers: "preflight/providers",
    roleAssignPermission: "preflight/role-assignment-permission",
    names: "preflight/names",
    existingResources: "preflight/existing-resources",
    devopsAuth: "preflight/devops-auth",
    manualValidators: "preflight/manual-validators",
  },
  azure: {
    resourceGroup: (side: Side) => `azure/resource-group/${side}`,
    workspace: (side: Side) => `azure/log-analytics/${side}`,
    appInsights: (stage: Stage) => `azure/app-insights/${stage}`,
    registry: (side: Side) => `azure/registry/${side}`,
    keyVault: "azure/key-vault",
    keyVaultSecrets: "azure/key-vault-secrets",
    cluster: (stage: Stage) => `azure/aks/${stage}`,
    containerInsights: (stage: Stage) => `azure/container-insights/${stage}`,
    identity: (role: PipelineRole) => `azure/identity/${role}`,
    /** Created after the matching service connection, from the issuer/subject it reports. */
    federatedCredential: (role: PipelineRole) => `azure/federated-credential/${role}`,
    /** e.g. roleAssignment("ci-acrpush") */
    roleAssignment: (key: string) => `azure/role-assignment/${key}`,
  },
  devops: {
    project: "devops/project",
    repository: "devops/repository",
    serviceConnection: (role: PipelineRole) => `devops/service-connection/${role}`,
    registryConnection: "devops/registry-connection",
    environment: (stage: Stage) => `devops/environment/${stage}`,
    approvalCheck: "devops/approval-check/prod",
    variableGroup: (kind: "secrets" | Stage) => `devops/variable-group/${kind}`,
    pipeline: (kind: "pr" | "ci" | "cd") => `devops/pipeline/${kind}`,
    pipelinePermissions: (kind: "pr" | "ci" | "cd") => `devops/pipeline-permissions/${kind}`,
    branchPolicy: (kind: "build" | "reviewers") => `devops/branch-policy/${kind}`,
  },
  repo: {
    files: "repo/files",
  },
} as const;

/** Role-assignment keys of the least-privilege table (ARCHITECTURE.md section 2). */
export const roleAssignmentKeys = [
  "staging-kubelet-acrpull",
  "prod-kubelet-acrpull",
  "ci-acrpush",
  "ci-kv-secrets-user",
  "staging-aks-cluster-user",
  "staging-aks-rbac-writer",
  "prod-acr-importer-nonprod",
  "prod-acr-importer-prod",
  "prod-aks-cluster-user",
  "prod-aks-rbac-writer",
] as const;
export type RoleAssignmentKey = (typeof roleAssignmentKeys)[number];
