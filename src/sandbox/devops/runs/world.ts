/**
 * What a run's tasks touch outside Azure DevOps: the emulated registries, clusters and vaults of
 * the ARM side. devops-mount.ts implements it over the sandbox state; without it (a DevOps-only
 * service) tasks that need Azure fail as they would with no reachable resource.
 */
export interface RegistryRef {
  readonly id: string;
  readonly name: string;
  readonly loginServer: string;
}

export interface RunWorld {
  /** A registry by name or login server (x.azurecr.io). */
  findRegistry(nameOrLoginServer: string): RegistryRef | undefined;
  hasImage(registry: RegistryRef, repository: string, tag: string): boolean;
  /** Records repository:tag in the registry (a push, or an import from `source`). */
  putImage(registry: RegistryRef, repository: string, tag: string, source: string): void;
  findCluster(resourceGroup: string, name: string): { id: string; name: string } | undefined;
  recordDeployment(clusterId: string, deployment: ClusterDeployment): void;
  /**
   * Azure RBAC for what a task does as its service connection's identity (the connection's
   * `serviceprincipalid`, a managed identity's client id): undefined when allowed (or when the
   * identity is not one the sandbox knows), else ARM's AuthorizationFailed message.
   */
  authorize(clientId: string, scope: string, action: string): string | undefined;
  /** Whether the vault holds the secret; undefined when the vault is unknown. */
  vaultHasSecret(vaultName: string, secretName: string): boolean | undefined;
}

export interface ClusterDeployment {
  readonly namespace: string;
  readonly action: string;
  readonly manifests: readonly string[];
  readonly images: readonly string[];
  readonly secretName?: string;
  readonly pipeline: string;
  readonly runId: number;
  readonly deployedAt: string;
}
