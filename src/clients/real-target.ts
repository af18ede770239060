import { DefaultAzureCredential } from "@azure/identity";
import type { Target } from "./target.js";

/**
 * The Target for real Azure: DefaultAzureCredential (az login, managed identity, environment,
 * workload identity) and, for Azure DevOps, an Entra token from it unless AZURE_DEVOPS_EXT_PAT
 * (the variable the az devops extension uses) holds a PAT.
 */
export function realTarget(
  opts: { tenantId: string; subscriptionId: string; organizationUrl: string },
  env: NodeJS.ProcessEnv,
): Target {
  const pat = env.AZURE_DEVOPS_EXT_PAT;
  const poll = Number(env.AKS_BOOTSTRAP_POLL_INTERVAL_MS ?? 2000);
  return {
    tenantId: opts.tenantId,
    subscriptionId: opts.subscriptionId,
    armEndpoint: "https://management.azure.com",
    authorityHost: "https://login.microsoftonline.com",
    portalUrl: "https://portal.azure.com",
    devopsOrganizationUrl: opts.organizationUrl.replace(/\/+$/, ""),
    credential: new DefaultAzureCredential({ tenantId: opts.tenantId }),
    devopsAuth: pat ? { kind: "pat", token: pat } : { kind: "entra" },
    pollIntervalMs: Number.isFinite(poll) && poll > 0 ? poll : 2000,
    retry: { maxRetries: 6, retryDelayMs: 1000, maxRetryDelayMs: 60_000 },
    keyVaultChallengeVerification: true,
    propagationDeadlineMs: 5 * 60_000,
  };
}
