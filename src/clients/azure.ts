import { ResourceManagementClient } from "@azure/arm-resources";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { OperationalInsightsManagementClient } from "@azure/arm-operationalinsights";
import { ApplicationInsightsManagementClient } from "@azure/arm-appinsights";
import { MonitorClient } from "@azure/arm-monitor";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { SecretClient } from "@azure/keyvault-secrets";
import type { Target } from "./target.js";
import { throttlingPolicy } from "./throttling.js";

/** ARM's token audience. Sovereign clouds would differ; the sandbox accepts this one. */
export const ARM_SCOPE = "https://management.azure.com/.default";

/**
 * Options every Azure SDK client gets: endpoint, token scope, TLS CA and retry from the
 * Target. Both spellings of the scope are set because the SDK packages come in two
 * generations (classic `credentialScopes`, modular `credentials.scopes`).
 */
export function armClientOptions(target: Target) {
  return {
    endpoint: target.armEndpoint,
    credentialScopes: [ARM_SCOPE],
    credentials: { scopes: [ARM_SCOPE] },
    ...commonClientOptions(target),
  };
}

export function commonClientOptions(target: Target) {
  return {
    ...(target.caPem ? { tlsOptions: { ca: target.caPem } } : {}),
    retryOptions: {
      maxRetries: target.retry.maxRetries,
      retryDelayInMs: target.retry.retryDelayMs,
      maxRetryDelayInMs: target.retry.maxRetryDelayMs,
    },
    additionalPolicies: [{ policy: throttlingPolicy(target), position: "perRetry" as const }],
    userAgentOptions: { userAgentPrefix: "aks-bootstrap" },
  };
}

/** Lazily built SDK clients: each is constructed on first use and then reused. */
export interface AzureClients {
  readonly resources: ResourceManagementClient;
  readonly registry: ContainerRegistryManagementClient;
  readonly aks: ContainerServiceClient;
  readonly keyVault: KeyVaultManagementClient;
  readonly logs: OperationalInsightsManagementClient;
  readonly appInsights: ApplicationInsightsManagementClient;
  readonly monitor: MonitorClient;
  readonly msi: ManagedServiceIdentityClient;
  readonly authorization: AuthorizationManagementClient;
  readonly subscriptions: SubscriptionClient;
  /** Data-plane client for one vault, by its vaultUri. */
  secrets(vaultUri: string): SecretClient;
  /** LRO options for begin*AndWait calls. */
  readonly lro: { readonly updateIntervalInMs: number };
}

export function createAzureClients(target: Target): AzureClients {
  const cred = target.credential;
  const sub = target.subscriptionId;
  const opts = armClientOptions(target);
  const cache = new Map<string, unknown>();
  const once = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  return {
    get resources() {
      return once("resources", () => new ResourceManagementClient(cred, sub, opts));
    },
    get registry() {
      return once("registry", () => new ContainerRegistryManagementClient(cred, sub, opts));
    },
    get aks() {
      return once("aks", () => new ContainerServiceClient(cred, sub, opts));
    },
    get keyVault() {
      return once("keyVault", () => new KeyVaultManagementClient(cred, sub, opts));
    },
    get logs() {
      return once("logs", () => new OperationalInsightsManagementClient(cred, sub, opts));
    },
    get appInsights() {
      return once("appInsights", () => new ApplicationInsightsManagementClient(cred, sub, opts));
    },
    get monitor() {
      return once("monitor", () => new MonitorClient(cred, sub, opts));
    },
    get msi() {
      return once("msi", () => new ManagedServiceIdentityClient(cred, sub, opts));
    },
    get authorization() {
      return once("authorization", () => new AuthorizationManagementClient(cred, sub, opts));
    },
    get subscriptions() {
      return once("subscriptions", () => new SubscriptionClient(cred, opts));
    },
    secrets(vaultUri: string) {
      return once(
        `secrets:${vaultUri}`,
        () =>
          new SecretClient(vaultUri, cred, {
            ...commonClientOptions(target),
            disableChallengeResourceVerification: !target.keyVaultChallengeVerification,
          }),
      );
    },
    lro: { updateIntervalInMs: target.pollIntervalMs },
  };
}
