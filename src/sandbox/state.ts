import type { ClusterDeployment } from "./devops/runs/world.js";

/**
 * The emulated world, as persisted in the state folder. Everything here is JSON. Secret values
 * (client secret, PAT, Key Vault secret values) are NOT here: they live in `SecretStore` so
 * state.json and `sandbox state` never hold one.
 */
export interface StoredResource {
  /** Canonical ARM id, original casing of the first PUT. */
  id: string;
  /** Canonical resource type, e.g. Microsoft.ContainerRegistry/registries. */
  type: string;
  /** The resource as GET returns it. */
  body: Record<string, unknown>;
  createdAt: number;
  /** Eventual-consistency fault: GET answers 404 until this time. */
  visibleAt?: number;
}

export interface StoredOperation {
  id: string;
  /** Lower-cased id of the resource the operation works on. */
  resourceKey: string;
  kind: "put" | "delete";
  startTime: number;
  endTime: number;
  /** Set when the fault plan chose to fail this operation. */
  error?: { code: string; message: string };
  /** For resource-group deletes: the ids to remove when done. */
  done?: boolean;
}

export interface Principal {
  objectId: string;
  kind: "ServicePrincipal" | "User" | "Group";
  displayName: string;
  createdAt: number;
}

export interface VaultSecretVersion {
  version: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  created: number;
  updated: number;
}

export interface VaultSecret {
  /** Name as first written (lookups are case-insensitive). */
  name?: string;
  versions: VaultSecretVersion[];
  /** Soft-deleted: when, and until when it can be recovered. */
  deleted?: { deletedDate: number; scheduledPurgeDate: number };
}

export interface VaultData {
  /** The listener's port, reused on restart so vaultUri stays valid. */
  port: number;
  secrets: Record<string, VaultSecret>;
}

export interface DeletedVault {
  name: string;
  location: string;
  vaultId: string;
  deletionDate: number;
  scheduledPurgeDate: number;
  purgeProtectionEnabled: boolean;
  tags: Record<string, string>;
  /** Last body, for createMode recover. */
  body: Record<string, unknown>;
}

export interface SandboxState {
  version: 1;
  tenantId: string;
  subscriptionId: string;
  organization: string;
  location: string;
  clientId: string;
  /** Object id of the sandbox's service principal (the caller of every request). */
  clientObjectId: string;
  armPort?: number;
  resources: Record<string, StoredResource>;
  operations: Record<string, StoredOperation>;
  deletedVaults: Record<string, DeletedVault>;
  principals: Record<string, Principal>;
  registeredProviders: Record<string, "Registered" | "Registering" | "NotRegistered">;
  vaults: Record<string, VaultData>;
  /** Images in the emulated registries (pushed by Docker@2, copied by az acr import), by registry id (lower). */
  registryImages?: Record<string, RegistryImage[]>;
  /** What pipeline runs deployed to each cluster (KubernetesManifest), by cluster id (lower). */
  clusterDeployments?: Record<string, ClusterDeployment[]>;
  devops?: unknown;
}

export interface RegistryImage {
  repository: string;
  tag: string;
  /** Who put it there: a run ("demo-ci #3") or an import ("import from x.azurecr.io/app:3"). */
  source: string;
  createdAt: string;
}

/** Values that must never reach state.json, logs or output. */
export interface SecretStore {
  clientSecret: string;
  pat: string;
  /** vault name (lower) -> secret name (lower) -> version -> value */
  vaultSecrets: Record<string, Record<string, Record<string, string>>>;
}
