/**
 * Observed state that crosses step families (Azure -> Azure DevOps -> repo). Each step may
 * observe more; these are the fields other families rely on.
 */
export interface ObservedResourceGroup {
  readonly id: string;
  readonly name: string;
  readonly location: string;
}
export interface ObservedRegistry {
  readonly id: string;
  readonly name: string;
  readonly loginServer: string;
}
export interface ObservedKeyVault {
  readonly id: string;
  readonly name: string;
  readonly vaultUri: string;
}
export interface ObservedCluster {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly kubeletObjectId?: string;
  readonly oidcIssuerUrl?: string;
}
export interface ObservedAppInsights {
  readonly id: string;
  readonly name: string;
  /** Not a secret (it is an ingestion key), but only shown in variable groups. */
  readonly connectionString: string;
}
export interface ObservedIdentity {
  readonly id: string;
  readonly name: string;
  readonly principalId: string;
  readonly clientId: string;
  readonly tenantId: string;
}
export interface ObservedServiceConnection {
  readonly id: string;
  readonly name: string;
  /** Copied onto the federated credential. */
  readonly workloadIdentityFederationIssuer: string;
  readonly workloadIdentityFederationSubject: string;
}
export interface ObservedProject {
  readonly id: string;
  readonly name: string;
}
export interface ObservedRepository {
  readonly id: string;
  readonly name: string;
  readonly defaultBranch: string;
  /** Whether the repository has no commits yet. */
  readonly empty: boolean;
}
export interface ObservedPipeline {
  readonly id: number;
  readonly name: string;
  readonly yamlPath: string;
}
