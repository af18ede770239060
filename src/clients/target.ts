import type { TokenCredential } from "@azure/core-auth";

/**
 * Where and how to talk to the clouds. The real cloud and the sandbox differ ONLY in the
 * Target: no step knows which one it talks to.
 */
export interface Target {
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** Azure Resource Manager, e.g. https://management.azure.com */
  readonly armEndpoint: string;
  /** Entra authority host, e.g. https://login.microsoftonline.com */
  readonly authorityHost: string;
  /** Azure portal base, for links in the summary. */
  readonly portalUrl: string;
  /** Azure DevOps organization URL, e.g. https://dev.azure.com/contoso */
  readonly devopsOrganizationUrl: string;
  /** One credential for ARM, Key Vault and (unless a PAT is given) Azure DevOps. */
  readonly credential: TokenCredential;
  /** Entra token from `credential` (default), or a PAT from AZURE_DEVOPS_EXT_PAT. */
  readonly devopsAuth: { readonly kind: "entra" } | { readonly kind: "pat"; readonly token: string };
  /** Extra trusted CA (PEM) passed through client options, never through a global. */
  readonly caPem?: string;
  /** The same CA as a file, for azure-devops-node-api's `cert.caFile`. */
  readonly caFile?: string;
  /** Long-running operation poll interval (ARM's default is 2 s; Retry-After wins). */
  readonly pollIntervalMs: number;
  readonly retry: {
    readonly maxRetries: number;
    readonly retryDelayMs: number;
    readonly maxRetryDelayMs: number;
  };
  /**
   * Key Vault's SDK checks that the challenge's resource matches the vault's DNS name.
   * Loopback vaults have no such name, so the sandbox Target turns the check off.
   */
  readonly keyVaultChallengeVerification: boolean;
  /** Deadline for retrying "not yet propagated" errors (PrincipalNotFound, 404 after create). */
  readonly propagationDeadlineMs: number;
}
