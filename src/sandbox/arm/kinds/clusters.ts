import { randomBytes, randomUUID } from "node:crypto";
import { ArmError } from "../errors.js";
import { props, type KindContext, type TrackedKind } from "../kinds.js";
import { trackedEnvelope } from "../shape.js";

/**
 * Microsoft.ContainerService/managedClusters, shaped like the recorded create
 * (shared/oracles/recordings): 201 + Azure-AsyncOperation, Creating -> Succeeded, and the
 * fields the service fills in (kubelet identity, OIDC issuer URL, FQDN, node resource group).
 */

/** Supported versions per minor, newest patch last (what `kubernetesVersions` lists). */
export const KUBERNETES_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  "1.31": ["1.31.9", "1.31.10", "1.31.11"],
  "1.32": ["1.32.5", "1.32.6", "1.32.7"],
  "1.33": ["1.33.1", "1.33.2", "1.33.3"],
  "1.34": ["1.34.0"],
};
export const DEFAULT_KUBERNETES_MINOR = "1.32";

export function resolveKubernetesVersion(requested: string | undefined): string | undefined {
  const v = requested ?? DEFAULT_KUBERNETES_MINOR;
  const patches = KUBERNETES_VERSIONS[v];
  if (patches) return patches[patches.length - 1];
  const minor = v.split(".").slice(0, 2).join(".");
  return KUBERNETES_VERSIONS[minor]?.includes(v) ? v : undefined;
}

export function kubernetesVersionsBody() {
  const minors = Object.keys(KUBERNETES_VERSIONS);
  return {
    values: minors.map((minor, i) => ({
      version: minor,
      ...(minor === DEFAULT_KUBERNETES_MINOR ? { isDefault: true } : {}),
      capabilities: { supportPlan: ["KubernetesOfficial", "AKSLongTermSupport"] },
      // Upgrades: later patches of the same minor, and the next minor only (no skipping).
      patchVersions: Object.fromEntries(
        (KUBERNETES_VERSIONS[minor] ?? []).map((p, j, same) => [
          p,
          { upgrades: [...same.slice(j + 1), ...(KUBERNETES_VERSIONS[minors[i + 1] ?? ""] ?? [])] },
        ]),
      ),
    })),
  };
}

const poolShape = {
  required: ["name"],
  fields: {
    name: "string",
    count: "integer",
    vmSize: "string",
    osDiskSizeGB: "integer",
    osDiskType: { enum: ["Managed", "Ephemeral"] },
    maxPods: "integer",
    osType: { enum: ["Linux", "Windows"] },
    osSKU: "string",
    maxCount: "integer",
    minCount: "integer",
    enableAutoScaling: "boolean",
    type: { enum: ["VirtualMachineScaleSets", "AvailabilitySet", "VirtualMachines"] },
    mode: { enum: ["System", "User", "Gateway"] },
    orchestratorVersion: "string",
    availabilityZones: "array",
    nodeLabels: "object",
    nodeTaints: "array",
    vnetSubnetID: "string",
    tags: "object",
    upgradeSettings: "object",
  },
} as const;

/** What AKS refuses to change on an existing cluster. */
function checkClusterUpdate(body: Record<string, unknown>, existing: Record<string, unknown>): void {
  const p = props(body);
  const prev = props(existing);
  const bad = (code: string, message: string) => new ArmError(400, code, message);
  const from = String(prev["currentKubernetesVersion"] ?? "");
  const to = resolveKubernetesVersion(p["kubernetesVersion"] as string | undefined) ?? "";
  const num = (v: string) => v.split(".").map(Number);
  const [fa = 0, fb = 0, fc = 0] = num(from);
  const [ta = 0, tb = 0, tc = 0] = num(to);
  if (ta * 1e6 + tb * 1e3 + tc < fa * 1e6 + fb * 1e3 + fc) {
    throw bad(
      "NotAllowedToDowngrade",
      `Downgrading the Kubernetes version from ${from} to ${to} is not allowed.`,
    );
  }
  if (tb > fb + 1 && ta === fa) {
    // AKS upgrades one minor version at a time (learn.microsoft.com/azure/aks/upgrade-aks-cluster).
    const next = KUBERNETES_VERSIONS[`${fa}.${fb + 1}`] ?? [];
    throw bad(
      "OperationNotAllowed",
      `Upgrading Kubernetes version ${from} to ${to} is not allowed. Available upgrades: [${[...next].reverse().join(" ")}]. Please see https://aka.ms/aks-supported-k8s-ver for version details.`,
    );
  }
  if (p["dnsPrefix"] !== undefined && p["dnsPrefix"] !== prev["dnsPrefix"]) {
    throw bad("PropertyChangeNotAllowed", "Changing property 'dnsPrefix' is not allowed.");
  }
  const oidcWas = (prev["oidcIssuerProfile"] as Record<string, unknown> | undefined)?.["enabled"] === true;
  const oidcNow = (p["oidcIssuerProfile"] as Record<string, unknown> | undefined)?.["enabled"] === true;
  if (oidcWas && !oidcNow)
    throw bad("BadRequest", "OIDC issuer profile cannot be disabled once it is enabled.");
  const aadWas = (prev["aadProfile"] as Record<string, unknown> | undefined)?.["managed"] === true;
  const aadNow = (p["aadProfile"] as Record<string, unknown> | undefined)?.["managed"] === true;
  if (aadWas && !aadNow)
    throw bad("BadRequest", "Managed Microsoft Entra ID integration cannot be disabled once it is enabled.");
}

function checkCluster(body: Record<string, unknown>, ctx: KindContext): void {
  const p = props(body);
  const bad = (message: string, code = "InvalidParameter") => new ArmError(400, code, message);
  const version = p["kubernetesVersion"] as string | undefined;
  if (!resolveKubernetesVersion(version)) {
    throw bad(
      `Version ${String(version)} is not supported in this region. Please use [az aks get-versions] command to get the supported version list in this region. For more information, please check https://aka.ms/supported-version-list`,
      "K8sVersionNotSupported",
    );
  }
  const pools = p["agentPoolProfiles"] as Record<string, unknown>[] | undefined;
  if (!pools || pools.length === 0)
    throw bad("The agentPoolProfiles must contain at least one agent pool.", "InvalidParameter");
  if (!pools.some((x) => String(x["mode"] ?? "User").toLowerCase() === "system")) {
    throw bad(
      "The cluster must have at least one agent pool with mode 'System'.",
      "MustDefineAtLeastOneSystemPool",
    );
  }
  for (const pool of pools) {
    const name = String(pool["name"]);
    if (!/^[a-z][a-z0-9]{0,11}$/.test(name)) {
      throw bad(
        `The agent pool name '${name}' is invalid: it must start with a lowercase letter, contain only lowercase letters and numbers, and be at most 12 characters.`,
        "AgentPoolNameInvalid",
      );
    }
    if (pool["vmSize"] === undefined)
      throw bad(`The agent pool '${name}' is missing the required property 'vmSize'.`);
    const count = pool["count"];
    if (count !== undefined && (typeof count !== "number" || count < 0 || count > 1000)) {
      throw bad(
        `The agent pool '${name}' count ${String(count)} is out of range [0, 1000].`,
        "InvalidAgentPoolCount",
      );
    }
  }
  const dns = p["dnsPrefix"] as string | undefined;
  if (dns !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9-]{0,52}[a-zA-Z0-9]$|^[a-zA-Z0-9]$/.test(dns)) {
    throw bad(
      `DNS prefix '${dns}' is invalid: 1-54 letters, digits and '-', starting and ending with a letter or digit.`,
      "InvalidDnsPrefix",
    );
  }
  if (!body["identity"] && !p["servicePrincipalProfile"]) {
    throw bad(
      "Either 'identity' or 'properties.servicePrincipalProfile' must be specified.",
      "InvalidParameter",
    );
  }
  const wi = ((p["securityProfile"] as Record<string, unknown> | undefined)?.["workloadIdentity"] ??
    {}) as Record<string, unknown>;
  const oidc = (p["oidcIssuerProfile"] ?? {}) as Record<string, unknown>;
  if (wi["enabled"] === true && oidc["enabled"] !== true) {
    throw bad("Enabling workload identity requires enabling OIDC issuer profile.", "InvalidParameter");
  }
  const aad = p["aadProfile"] as Record<string, unknown> | undefined;
  if (p["disableLocalAccounts"] === true && aad?.["managed"] !== true) {
    throw bad(
      "Local accounts can only be disabled on clusters with managed Microsoft Entra ID integration (aadProfile.managed).",
      "BadRequest",
    );
  }
  if (aad?.["enableAzureRBAC"] === true && aad["managed"] !== true) {
    throw bad(
      "Azure RBAC for Kubernetes authorization requires managed Microsoft Entra ID integration.",
      "BadRequest",
    );
  }
  const oms = ((p["addonProfiles"] as Record<string, Record<string, unknown>> | undefined) ?? {})["omsagent"];
  if (oms?.["enabled"] === true) {
    const cfg = (oms["config"] ?? {}) as Record<string, unknown>;
    const ws = cfg["logAnalyticsWorkspaceResourceID"] ?? cfg["loganalyticsworkspaceresourceid"];
    if (typeof ws !== "string" || !ctx.core.state.resources[ws.toLowerCase()]) {
      throw bad(
        `The Log Analytics workspace '${String(ws)}' of the omsagent addon was not found.`,
        "InvalidParameter",
      );
    }
  }
}

function principal(ctx: KindContext, objectId: string, displayName: string): void {
  ctx.core.state.principals[objectId] ??= {
    objectId,
    kind: "ServicePrincipal",
    displayName,
    createdAt: ctx.core.clock.now(),
  };
}

/** Versions a cluster on `current` may move to: later patches, then the next minor only. */
export function availableUpgrades(current: string): string[] {
  const [a = 0, b = 0] = current.split(".").map(Number);
  const same = KUBERNETES_VERSIONS[`${a}.${b}`] ?? [];
  const later = same.slice(same.indexOf(current) + 1);
  return [...later, ...(KUBERNETES_VERSIONS[`${a}.${b + 1}`] ?? [])];
}

/** GET .../managedClusters/{name}/upgradeProfiles/default (what `az aks get-upgrades` shows). */
export function upgradeProfileBody(cluster: Record<string, unknown>) {
  const p = props(cluster);
  const current = String(p["currentKubernetesVersion"] ?? "");
  const upgrades = availableUpgrades(current).map((kubernetesVersion) => ({ kubernetesVersion }));
  return {
    id: `${String(cluster["id"])}/upgradeprofiles/default`,
    name: "default",
    type: "Microsoft.ContainerService/managedClusters/upgradeprofiles",
    properties: {
      controlPlaneProfile: { kubernetesVersion: current, osType: "Linux", upgrades },
      agentPoolProfiles: ((p["agentPoolProfiles"] ?? []) as Record<string, unknown>[]).map((pool) => ({
        name: pool["name"],
        kubernetesVersion: pool["currentOrchestratorVersion"] ?? current,
        osType: pool["osType"] ?? "Linux",
        upgrades,
      })),
    },
  };
}

/**
 * AKS creates the node resource group (MC_...) and the kubelet identity in it; both are real
 * resources a client can read (e.g. to look the kubelet identity up by its resourceId).
 */
function createNodeResourceGroup(
  ctx: KindContext,
  cluster: Record<string, unknown>,
  kubelet: Record<string, string>,
): void {
  const p = props(cluster);
  const rgName = String(p["nodeResourceGroup"]);
  const sub = ctx.subscriptionId;
  const rgId = `/subscriptions/${sub}/resourceGroups/${rgName}`;
  const resources = ctx.core.state.resources;
  const now = ctx.core.clock.now();
  resources[rgId.toLowerCase()] ??= {
    id: rgId,
    type: "Microsoft.Resources/resourceGroups",
    createdAt: now,
    body: {
      id: rgId,
      name: rgName,
      type: "Microsoft.Resources/resourceGroups",
      location: cluster["location"],
      managedBy: cluster["id"],
      tags: {},
      properties: { provisioningState: "Succeeded" },
    },
  };
  const idName = kubelet["resourceId"]?.split("/").pop();
  if (!idName) return;
  const uaiId = `${rgId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${idName}`;
  resources[uaiId.toLowerCase()] ??= {
    id: uaiId,
    type: "Microsoft.ManagedIdentity/userAssignedIdentities",
    createdAt: now,
    body: {
      id: uaiId,
      name: idName,
      type: "Microsoft.ManagedIdentity/userAssignedIdentities",
      location: cluster["location"],
      tags: {},
      properties: {
        tenantId: ctx.core.state.tenantId,
        principalId: kubelet["objectId"],
        clientId: kubelet["clientId"],
      },
    },
  };
}

export const managedClusters: TrackedKind = {
  namespace: "Microsoft.ContainerService",
  typeName: "managedClusters",
  responseType: "Microsoft.ContainerService/ManagedClusters",
  validateName(name) {
    if (!/^[a-zA-Z0-9]$|^[a-zA-Z0-9][a-zA-Z0-9_-]{0,61}[a-zA-Z0-9]$/.test(name)) {
      return `The resource name '${name}' is invalid. It must be 1-63 characters: letters, digits, '_' and '-', starting and ending with a letter or digit.`;
    }
    return undefined;
  },
  createSeconds: 270,
  updateSeconds: 120,
  deleteSeconds: 180,
  shape: {
    fields: {
      ...trackedEnvelope,
      identity: {
        fields: {
          type: { enum: ["SystemAssigned", "UserAssigned", "None"] },
          userAssignedIdentities: "object",
          delegatedResources: "object",
        },
      },
      sku: {
        fields: { name: { enum: ["Base", "Automatic"] }, tier: { enum: ["Free", "Standard", "Premium"] } },
      },
      extendedLocation: "object",
      kind: "string",
      properties: {
        fields: {
          kubernetesVersion: "string",
          dnsPrefix: "string",
          fqdnSubdomain: "string",
          agentPoolProfiles: { arrayOf: poolShape },
          linuxProfile: "object",
          windowsProfile: "object",
          servicePrincipalProfile: "object",
          addonProfiles: "object",
          podIdentityProfile: "object",
          oidcIssuerProfile: { fields: { enabled: "boolean" } },
          nodeResourceGroup: "string",
          enableRBAC: "boolean",
          supportPlan: "string",
          networkProfile: "object",
          aadProfile: {
            fields: {
              managed: "boolean",
              enableAzureRBAC: "boolean",
              adminGroupObjectIDs: "array",
              tenantID: "string",
              clientAppID: "string",
              serverAppID: "string",
              serverAppSecret: "string",
            },
          },
          autoUpgradeProfile: "object",
          upgradeSettings: "object",
          autoScalerProfile: "object",
          apiServerAccessProfile: "object",
          disableLocalAccounts: "boolean",
          securityProfile: "object",
          storageProfile: "object",
          ingressProfile: "object",
          publicNetworkAccess: "string",
          workloadAutoScalerProfile: "object",
          azureMonitorProfile: "object",
          serviceMeshProfile: "object",
          metricsProfile: "object",
          identityProfile: "object",
          nodeProvisioningProfile: "object",
          bootstrapProfile: "object",
        },
      },
    },
  },
  check(body, ctx, existing) {
    checkCluster(body, ctx);
    if (existing) checkClusterUpdate(body, existing);
  },
  build(body, ctx, existing) {
    const p = props(body);
    const prev = existing ? props(existing) : {};
    const loc = String(body["location"]).toLowerCase().replace(/\s+/g, "");
    const tenant = ctx.core.state.tenantId;
    const version = resolveKubernetesVersion(p["kubernetesVersion"] as string | undefined) ?? "";
    const dnsPrefix = String(
      p["dnsPrefix"] ??
        `${ctx.name.slice(0, 30)}-${ctx.resourceGroup.slice(0, 10)}-${ctx.subscriptionId.slice(0, 6)}`.replace(
          /[^a-zA-Z0-9-]/g,
          "",
        ),
    );
    const nodeRg = String(
      prev["nodeResourceGroup"] ?? p["nodeResourceGroup"] ?? `MC_${ctx.resourceGroup}_${ctx.name}_${loc}`,
    );
    const prevFqdn = prev["fqdn"] as string | undefined;
    const fqdnToken = prevFqdn?.split(".")[0]?.split("-").pop() ?? randomBytes(4).toString("hex");
    const prevKubelet = ((prev["identityProfile"] as Record<string, Record<string, string>> | undefined) ??
      {})["kubeletidentity"];
    const kubelet = prevKubelet ?? {
      resourceId: `/subscriptions/${ctx.subscriptionId}/resourcegroups/${nodeRg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${ctx.name}-agentpool`,
      clientId: randomUUID(),
      objectId: randomUUID(),
    };
    const oidcEnabled = (p["oidcIssuerProfile"] as Record<string, unknown> | undefined)?.["enabled"] === true;
    const prevOidc = (prev["oidcIssuerProfile"] ?? {}) as Record<string, unknown>;
    const issuerURL =
      (prevOidc["issuerURL"] as string | undefined) ??
      `https://${loc}.oic.prod-aks.azure.com/${tenant}/${randomUUID()}/`;
    const identity = (body["identity"] ?? { type: "SystemAssigned" }) as Record<string, unknown>;
    const prevIdentity = (existing?.["identity"] ?? {}) as Record<string, unknown>;
    const builtIdentity =
      identity["type"] === "SystemAssigned"
        ? {
            type: "SystemAssigned",
            principalId: prevIdentity["principalId"] ?? randomUUID(),
            tenantId: tenant,
          }
        : identity;
    const addons = (p["addonProfiles"] ?? {}) as Record<string, Record<string, unknown>>;
    const prevAddons = (prev["addonProfiles"] ?? {}) as Record<string, Record<string, unknown>>;
    const builtAddons = Object.fromEntries(
      Object.entries(addons).map(([name, a]) => [
        name,
        a["enabled"] === true
          ? {
              ...a,
              config: a["config"] ?? null,
              identity: prevAddons[name]?.["identity"] ?? {
                resourceId: `/subscriptions/${ctx.subscriptionId}/resourcegroups/${nodeRg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}-${ctx.name}`,
                clientId: randomUUID(),
                objectId: randomUUID(),
              },
            }
          : { ...a, config: a["config"] ?? null },
      ]),
    );
    const pools = ((p["agentPoolProfiles"] ?? []) as Record<string, unknown>[]).map((pool) => ({
      count: 3,
      vmSize: "Standard_DS2_v2",
      osDiskSizeGB: 128,
      osDiskType: "Managed",
      kubeletDiskType: "OS",
      maxPods: 110,
      type: "VirtualMachineScaleSets",
      enableAutoScaling: false,
      osType: "Linux",
      osSKU: "Ubuntu",
      mode: "User",
      ...pool,
      powerState: { code: "Running" },
      orchestratorVersion: version,
      currentOrchestratorVersion: version,
      nodeImageVersion: "AKSUbuntu-2204gen2containerd-202507.21.0",
      enableFIPS: false,
    }));
    const aad = p["aadProfile"] as Record<string, unknown> | undefined;
    return {
      ...(body["sku"] ? { sku: body["sku"] } : { sku: { name: "Base", tier: "Free" } }),
      identity: builtIdentity,
      properties: {
        powerState: { code: "Running" },
        kubernetesVersion: p["kubernetesVersion"] ?? version,
        currentKubernetesVersion: version,
        dnsPrefix,
        fqdn: `${dnsPrefix}-${fqdnToken}.hcp.${loc}.azmk8s.io`,
        azurePortalFQDN: `${dnsPrefix}-${fqdnToken}.portal.hcp.${loc}.azmk8s.io`,
        agentPoolProfiles: pools,
        ...(p["servicePrincipalProfile"]
          ? {
              servicePrincipalProfile: {
                clientId: (p["servicePrincipalProfile"] as Record<string, unknown>)["clientId"],
              },
            }
          : { servicePrincipalProfile: { clientId: "msi" } }),
        addonProfiles: builtAddons,
        nodeResourceGroup: nodeRg,
        enableRBAC: p["enableRBAC"] ?? true,
        supportPlan: p["supportPlan"] ?? "KubernetesOfficial",
        networkProfile: {
          networkPlugin: "azure",
          networkPluginMode: "overlay",
          networkPolicy: "none",
          networkDataplane: "azure",
          loadBalancerSku: "standard",
          podCidr: "10.244.0.0/16",
          serviceCidr: "10.0.0.0/16",
          dnsServiceIP: "10.0.0.10",
          outboundType: "loadBalancer",
          podCidrs: ["10.244.0.0/16"],
          serviceCidrs: ["10.0.0.0/16"],
          ipFamilies: ["IPv4"],
          ...((p["networkProfile"] as object | undefined) ?? {}),
        },
        maxAgentPools: 100,
        ...(aad
          ? {
              aadProfile: {
                ...aad,
                adminGroupObjectIDs: aad["adminGroupObjectIDs"] ?? null,
                tenantID: aad["tenantID"] ?? tenant,
              },
            }
          : {}),
        identityProfile: { kubeletidentity: kubelet },
        disableLocalAccounts: p["disableLocalAccounts"] ?? false,
        securityProfile: p["securityProfile"] ?? {},
        storageProfile: p["storageProfile"] ?? {
          diskCSIDriver: { enabled: true },
          fileCSIDriver: { enabled: true },
          snapshotController: { enabled: true },
        },
        oidcIssuerProfile: oidcEnabled ? { enabled: true, issuerURL } : { enabled: false },
        workloadAutoScalerProfile: p["workloadAutoScalerProfile"] ?? {},
        ...(p["autoUpgradeProfile"] ? { autoUpgradeProfile: p["autoUpgradeProfile"] } : {}),
        ...(p["apiServerAccessProfile"] ? { apiServerAccessProfile: p["apiServerAccessProfile"] } : {}),
        ...(p["azureMonitorProfile"] ? { azureMonitorProfile: p["azureMonitorProfile"] } : {}),
      },
    };
  },
  afterPut(resource, ctx) {
    const p = props(resource);
    const kubelet = ((p["identityProfile"] as Record<string, Record<string, string>>)["kubeletidentity"] ??
      {}) as Record<string, string>;
    if (kubelet["objectId"]) principal(ctx, kubelet["objectId"], `${ctx.name}-agentpool`);
    createNodeResourceGroup(ctx, resource, kubelet);
    const id = (resource["identity"] ?? {}) as Record<string, unknown>;
    if (typeof id["principalId"] === "string") principal(ctx, id["principalId"], ctx.name);
    for (const [name, a] of Object.entries(
      (p["addonProfiles"] ?? {}) as Record<string, Record<string, unknown>>,
    )) {
      const oid = (a["identity"] as Record<string, string> | undefined)?.["objectId"];
      if (oid) principal(ctx, oid, `${name}-${ctx.name}`);
    }
  },
};
