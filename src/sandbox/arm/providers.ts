import { REGIONS, displayLocation } from "./locations.js";
import type { SandboxCore } from "../core.js";
import type { SandboxRequest, SandboxResponse } from "../types.js";
import { apiVersionsFor } from "./api-versions.js";
import { ArmError } from "./errors.js";

/** Resource providers: get, list and register (Registering, then Registered after a while). */
const NAMESPACES: Readonly<Record<string, readonly string[]>> = {
  "Microsoft.ContainerService": [
    "managedClusters",
    "locations",
    "locations/operations",
    "locations/kubernetesVersions",
  ],
  "Microsoft.ContainerRegistry": ["registries", "checkNameAvailability"],
  "Microsoft.KeyVault": ["vaults", "deletedVaults", "checkNameAvailability"],
  "Microsoft.OperationalInsights": ["workspaces"],
  "Microsoft.Insights": ["components", "dataCollectionRules", "dataCollectionRuleAssociations"],
  "Microsoft.ManagedIdentity": [
    "userAssignedIdentities",
    "userAssignedIdentities/federatedIdentityCredentials",
  ],
  "Microsoft.Authorization": ["roleAssignments", "roleDefinitions", "permissions"],
  "Microsoft.Resources": ["resourceGroups", "subscriptions"],
  "Microsoft.AlertsManagement": ["prometheusRuleGroups"],
  "Microsoft.Monitor": ["accounts"],
};

function canonical(ns: string): string | undefined {
  return Object.keys(NAMESPACES).find((k) => k.toLowerCase() === ns.toLowerCase());
}

function providerBody(core: SandboxCore, ns: string) {
  const state = core.state.registeredProviders[ns] ?? "Registered";
  return {
    id: `/subscriptions/${core.state.subscriptionId}/providers/${ns}`,
    namespace: ns,
    registrationState: state,
    registrationPolicy: "RegistrationRequired",
    resourceTypes: (NAMESPACES[ns] ?? []).map((t) => ({
      resourceType: t,
      // Every region the sandbox offers, by display name as ARM lists them (the sandbox's own
      // default region first).
      locations: [core.state.location, ...REGIONS.filter((r) => r !== core.state.location)].map(
        displayLocation,
      ),
      // Newest first, as ARM lists them; `az resource show --ids` picks its version from here.
      apiVersions: [...(apiVersionsFor(ns, t) ?? [])].sort().reverse(),
    })),
  };
}

/** seg: ["providers", ns, ...] relative to the subscription. */
export function handleProviders(
  core: SandboxCore,
  req: SandboxRequest,
  seg: string[],
): SandboxResponse | undefined {
  if (seg.length === 1 && req.method === "GET") {
    return { status: 200, body: { value: Object.keys(NAMESPACES).map((ns) => providerBody(core, ns)) } };
  }
  const ns = canonical(seg[1] ?? "");
  if (!ns) {
    if (seg.length <= 3)
      throw new ArmError(
        404,
        "InvalidResourceNamespace",
        `The resource namespace '${seg[1] ?? ""}' is invalid.`,
      );
    return undefined;
  }
  if (seg.length === 2 && req.method === "GET") {
    // Registration completes lazily: a provider seen as Registering flips on the next read.
    if (core.state.registeredProviders[ns] === "Registering") {
      core.state.registeredProviders[ns] = "Registered";
      core.persist();
      return { status: 200, body: { ...providerBody(core, ns), registrationState: "Registering" } };
    }
    return { status: 200, body: providerBody(core, ns) };
  }
  if (seg.length === 3 && seg[2]?.toLowerCase() === "unregister" && req.method === "POST") {
    core.state.registeredProviders[ns] = "NotRegistered";
    core.persist();
    return { status: 200, body: providerBody(core, ns) };
  }
  if (seg.length === 3 && seg[2]?.toLowerCase() === "register" && req.method === "POST") {
    if ((core.state.registeredProviders[ns] ?? "Registered") !== "Registered") {
      core.state.registeredProviders[ns] = "Registering";
      core.persist();
    }
    return { status: 200, body: providerBody(core, ns) };
  }
  return undefined;
}

/** ARM refuses writes to a namespace the subscription has not registered. */
export function requireRegistered(core: SandboxCore, namespace: string): void {
  const ns = canonical(namespace) ?? namespace;
  if ((core.state.registeredProviders[ns] ?? "Registered") === "NotRegistered") {
    throw new ArmError(
      409,
      "MissingSubscriptionRegistration",
      `The subscription is not registered to use namespace '${ns}'. See https://aka.ms/rps-not-found for how to register subscriptions.`,
    );
  }
}
