import type { SandboxCore } from "../core.js";
import type { SandboxRequest, SandboxResponse } from "../types.js";
import { handleAuthorization } from "./authorization.js";
import { deleteTracked, getTracked, kindContext, listTracked, putTracked, takenElsewhere } from "./engine.js";
import { checkApiVersion } from "./api-versions.js";
import { ArmError } from "./errors.js";
import { listGenericResources } from "./generic-resources.js";
import { handleMetadata } from "./metadata.js";
import { checkLocation } from "./locations.js";
import { handleDcrAssociation, handleFederatedCredential } from "./extensions.js";
import type { TrackedKind } from "./kinds.js";
import { kubernetesVersionsBody, managedClusters, upgradeProfileBody } from "./kinds/clusters.js";
import { userAssignedIdentities } from "./kinds/identities.js";
import { components, dataCollectionRules, workspaces } from "./kinds/monitoring.js";
import { registries, registryNameError } from "./kinds/registries.js";
import { deletedVaultBody, vaultNameError, vaults } from "./kinds/vaults.js";
import { operationStatus, settleOperations } from "./operations.js";
import { handleProviders, requireRegistered } from "./providers.js";
import { handleResourceGroup, listResourceGroups, resourceGroupDeletion } from "./resource-groups.js";

/**
 * Azure Resource Manager: authentication, api-version, subscription, then dispatch by path.
 * Paths are compared case-insensitively with `//` collapsed (done by the listener), as ARM does.
 */
export const KINDS: readonly TrackedKind[] = [
  registries,
  vaults,
  managedClusters,
  workspaces,
  components,
  dataCollectionRules,
  userAssignedIdentities,
];

/** Lower-cased types the generic `/resources` list shows: every kind the sandbox tracks. */
const TRACKED_TYPES: ReadonlySet<string> = new Set(
  KINDS.map((k) => `${k.namespace}/${k.typeName}`.toLowerCase()),
);

/**
 * The type whose api-versions apply: the last `providers/{namespace}/{type}` of the path, or
 * Microsoft.Resources (subscriptions, resource groups, generic resources, provider registration).
 */
function addressedType(seg: readonly string[]): { namespace: string; type?: string } {
  const lower = seg.map((s) => s.toLowerCase());
  const p = lower.lastIndexOf("providers");
  const ns = p >= 0 ? seg[p + 1] : undefined;
  const type = p >= 0 ? seg[p + 2] : undefined;
  const registration = p === 2 && (type === undefined || /^(un)?register$/i.test(type));
  if (!ns || registration) return { namespace: "Microsoft.Resources" };
  return type === undefined ? { namespace: ns } : { namespace: ns, type };
}

const ARM_AUDIENCES = [
  "https://management.azure.com/",
  "https://management.azure.com",
  "https://management.core.windows.net/",
];

function findKind(ns: string, type: string): TrackedKind | undefined {
  return KINDS.find(
    (k) => k.namespace.toLowerCase() === ns.toLowerCase() && k.typeName.toLowerCase() === type.toLowerCase(),
  );
}

function authenticate(req: SandboxRequest): void {
  const header = req.headers.authorization;
  if (!header) {
    throw new ArmError(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing.",
      {
        "WWW-Authenticate":
          'Bearer authorization_uri="https://login.microsoftonline.com/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
      },
    );
  }
  if (!req.caller) {
    throw new ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.", {
      "WWW-Authenticate":
        'Bearer authorization_uri="https://login.microsoftonline.com/", error="invalid_token", error_description="The access token is invalid."',
    });
  }
  if (!ARM_AUDIENCES.includes(req.caller.audience)) {
    throw new ArmError(
      401,
      "InvalidAuthenticationTokenAudience",
      `The access token has been obtained for wrong audience or resource '${req.caller.audience}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
    );
  }
}

export function createArmService(core: SandboxCore) {
  const budget = { reads: 12000, writes: 1200 };
  async function route(req: SandboxRequest): Promise<SandboxResponse> {
    const metadata = handleMetadata(core, req);
    if (metadata) return metadata;
    authenticate(req);
    const apiVersion = req.query.get("api-version");
    if (!apiVersion) {
      throw new ArmError(
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
      );
    }
    const path = req.path.replace(/\/$/, "");
    const seg = path.split("/").filter(Boolean);
    const lower = seg.map((s) => s.toLowerCase());
    const addressed = addressedType(seg);
    checkApiVersion(core, apiVersion, addressed.namespace, addressed.type);
    const sub = core.state.subscriptionId;
    const m = req.method;

    if (lower[0] === "tenants" && seg.length === 1 && m === "GET") {
      return {
        status: 200,
        body: {
          value: [
            {
              id: `/tenants/${core.state.tenantId}`,
              tenantId: core.state.tenantId,
              tenantCategory: "Home",
              displayName: "Sandbox",
              defaultDomain: "sandbox.onmicrosoft.com",
            },
          ],
        },
      };
    }
    if (lower[0] !== "subscriptions" && lower[0] !== "providers") {
      throw new ArmError(
        404,
        "NotFound",
        `No HTTP resource was found that matches the request URI '${req.url.toString()}'.`,
      );
    }
    // Extension resources at any scope: {scope}/providers/Microsoft.Authorization/... and DCR associations.
    const provIdx = lower.lastIndexOf("providers");
    if (provIdx >= 0 && lower[provIdx + 1] === "microsoft.authorization") {
      const scope = seg.slice(0, provIdx).length ? `/${seg.slice(0, provIdx).join("/")}` : "";
      const res = handleAuthorization(core, req, scope, seg.slice(provIdx + 2));
      if (res) return res;
    }
    if (
      provIdx > 0 &&
      lower[provIdx + 1] === "microsoft.insights" &&
      lower[provIdx + 2] === "datacollectionruleassociations" &&
      seg.length <= provIdx + 4
    ) {
      const res = handleDcrAssociation(core, req, `/${seg.slice(0, provIdx).join("/")}`, seg[provIdx + 3]);
      if (res) return res;
    }
    if (lower[0] === "providers") throw new ArmError(404, "NotFound", `No route for ${m} ${path}.`);

    if (seg.length === 1 && m === "GET") return { status: 200, body: { value: [subscriptionBody(core)] } };
    if (lower[1] !== sub.toLowerCase()) {
      throw new ArmError(
        404,
        "SubscriptionNotFound",
        `The subscription '${seg[1] ?? ""}' could not be found.`,
      );
    }
    if (seg.length === 2 && m === "GET") return { status: 200, body: subscriptionBody(core) };
    const rest = lower.slice(2);
    if (rest[0] === "resourcegroups") {
      if (seg.length === 3 && m === "GET") return listResourceGroups(core, sub);
      const rgName = seg[3] ?? "";
      if (seg.length === 4) {
        const res = handleResourceGroup(core, req, sub, rgName);
        if (res) return res;
      }
      if (rest[2] === "resources" && seg.length === 5 && m === "GET")
        return listGenericResources(core, req, sub, rgName, TRACKED_TYPES);
      if (rest[2] === "providers" && seg.length >= 7) {
        const kind = findKind(seg[5] ?? "", seg[6] ?? "");
        if (!kind)
          throw new ArmError(
            400,
            "InvalidResourceType",
            `The resource type '${seg[6] ?? ""}' could not be found in the namespace '${seg[5] ?? ""}' for api version '${req.query.get("api-version") ?? ""}'.`,
          );
        if (seg.length === 7 && m === "GET") return listTracked(core, kind, sub, rgName);
        const name = seg[7] ?? "";
        const ctx = kindContext(core, req, sub, rgName, kind, name);
        if (seg.length === 8) {
          if (m === "PUT") {
            requireRegistered(core, kind.namespace);
            return putTracked(kind, ctx);
          }
          if (m === "GET") return getTracked(kind, ctx);
          if (m === "HEAD") return { status: getTracked(kind, ctx).status === 200 ? 204 : 404 };
          if (m === "DELETE") return deleteTracked(kind, ctx);
          if (m === "PATCH") return patchTracked(kind, ctx);
        }
        if (
          kind === userAssignedIdentities &&
          lower[8] === "federatedidentitycredentials" &&
          seg.length <= 10
        ) {
          const res = handleFederatedCredential(core, req, ctx.id.toLowerCase(), seg[9]);
          if (res) return res;
        }
        if (
          kind === managedClusters &&
          lower[8] === "upgradeprofiles" &&
          lower[9] === "default" &&
          seg.length === 10 &&
          m === "GET"
        ) {
          return {
            status: 200,
            body: upgradeProfileBody(getTracked(kind, ctx).body as Record<string, unknown>),
          };
        }
        if (kind === managedClusters && lower[8] === "agentpools" && m === "GET" && seg.length <= 10) {
          const cluster = getTracked(kind, ctx).body as Record<string, unknown>;
          const pools = (
            ((cluster["properties"] as Record<string, unknown>)["agentPoolProfiles"] ?? []) as Record<
              string,
              unknown
            >[]
          ).map(({ name, ...rest }) => ({
            id: `${String(cluster["id"])}/agentPools/${String(name)}`,
            name,
            type: "Microsoft.ContainerService/managedClusters/agentPools",
            properties: rest,
          }));
          if (seg.length === 9) return { status: 200, body: { value: pools } };
          const pool = pools.find((x) => String(x.name).toLowerCase() === lower[9]);
          if (!pool)
            throw new ArmError(
              404,
              "NotFound",
              `Agent pool '${seg[9] ?? ""}' was not found in managed cluster '${name}'.`,
            );
          return { status: 200, body: pool };
        }
        if (kind === managedClusters && lower[8] === "listclusterusercredential" && m === "POST") {
          getTracked(kind, ctx);
          return {
            status: 200,
            body: {
              kubeconfigs: [
                {
                  name: "clusterUser",
                  value: Buffer.from(`apiVersion: v1\nkind: Config\nclusters: []\n`).toString("base64"),
                },
              ],
            },
          };
        }
      }
    }
    if (rest[0] === "resources" && seg.length === 3 && m === "GET")
      return listGenericResources(core, req, sub, undefined, TRACKED_TYPES);
    if (rest[0] === "operationresults" && seg.length === 4 && m === "GET")
      return resourceGroupDeletion(core, req, seg[3] ?? "");
    if (rest[0] === "providers") {
      const ns = seg[3] ?? "";
      const nsl = ns.toLowerCase();
      // Operation status: /providers/{ns}/locations/{loc}/operations/{id}
      if (
        rest[2] === "locations" &&
        (rest[4] === "operations" || rest[4] === "operationresults") &&
        seg.length === 8 &&
        m === "GET"
      ) {
        const op = core.state.operations[seg[7] ?? ""];
        if (!op) throw new ArmError(404, "NotFound", `Operation '${seg[7] ?? ""}' was not found.`);
        return { status: 200, body: operationStatus(op, core.clock.now()) };
      }
      if (
        nsl === "microsoft.containerservice" &&
        rest[2] === "locations" &&
        rest[4] === "kubernetesversions" &&
        m === "GET"
      ) {
        // An unknown region is refused as Azure refuses it, so the AKS preflight stops a typo
        // ("mars", "westeuorpe") before anything is changed.
        checkLocation(rest[3] ?? "", "Microsoft.ContainerService/managedClusters");
        return { status: 200, body: kubernetesVersionsBody() };
      }
      if (rest[2] === "checknameavailability" && m === "POST") return checkName(core, req, nsl);
      if (nsl === "microsoft.keyvault") {
        const res = deletedVaults(core, req, seg.slice(4));
        if (res) return res;
      }
      if (seg.length === 5 && m === "GET") {
        const kind = findKind(ns, seg[4] ?? "");
        if (kind) return listTracked(core, kind, sub, undefined);
      }
      const res = handleProviders(core, req, seg.slice(2));
      if (res) return res;
    }
    throw new ArmError(
      404,
      "NotFound",
      `No HTTP resource was found that matches the request URI '${req.url.toString()}'.`,
    );
  }

  return {
    async handle(req: SandboxRequest): Promise<SandboxResponse> {
      try {
        if (settleOperations(core)) core.persist();
        return withArmHeaders(await route(req), req, budget);
      } catch (err) {
        if (err instanceof ArmError) return withArmHeaders(err.toResponse(), req, budget);
        throw err;
      }
    },
  };
}

/** ARM's bookkeeping headers: remaining request budget per subscription, counting down like Azure's. */
function withArmHeaders(
  res: SandboxResponse,
  req: SandboxRequest,
  budget: { reads: number; writes: number },
): SandboxResponse {
  const write = req.method !== "GET" && req.method !== "HEAD";
  const left = write
    ? (budget.writes = budget.writes > 1 ? budget.writes - 1 : 1200)
    : (budget.reads = budget.reads > 1 ? budget.reads - 1 : 12000);
  return {
    ...res,
    headers: {
      [write
        ? "x-ms-ratelimit-remaining-subscription-writes"
        : "x-ms-ratelimit-remaining-subscription-reads"]: String(left),
      ...(res.headers ?? {}),
    },
  };
}

async function patchTracked(
  kind: TrackedKind,
  ctx: ReturnType<typeof kindContext>,
): Promise<SandboxResponse> {
  const found = getTracked(kind, ctx).body as Record<string, unknown>;
  const patch = (ctx.req.body ?? {}) as Record<string, unknown>;
  const merged = {
    ...found,
    ...(patch["tags"] ? { tags: patch["tags"] } : {}),
    properties: { ...((found["properties"] as object) ?? {}), ...((patch["properties"] as object) ?? {}) },
  };
  const req = { ...ctx.req, method: "PUT", body: merged };
  return putTracked(kind, { ...ctx, req });
}

function subscriptionBody(core: SandboxCore) {
  return {
    id: `/subscriptions/${core.state.subscriptionId}`,
    subscriptionId: core.state.subscriptionId,
    tenantId: core.state.tenantId,
    displayName: "Sandbox subscription",
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
    authorizationSource: "RoleBased",
  };
}

function checkName(core: SandboxCore, req: SandboxRequest, ns: string): SandboxResponse {
  const body = (req.body ?? {}) as Record<string, unknown>;
  for (const f of ["name", "type"]) {
    if (typeof body[f] !== "string") {
      throw new ArmError(
        400,
        "InvalidRequestContent",
        `The request content was invalid and could not be deserialized: 'Required property '${f}' not found in JSON. Path ''.'.`,
      );
    }
  }
  const name = String(body["name"]);
  const type = String(body["type"]).toLowerCase();
  const taken = (suffix: string) =>
    takenElsewhere(name) || Object.keys(core.state.resources).some((k) => k.endsWith(suffix));
  if (ns === "microsoft.containerregistry" && type === "microsoft.containerregistry/registries") {
    const invalid = registryNameError(name);
    if (invalid) return { status: 200, body: { nameAvailable: false, reason: "Invalid", message: invalid } };
    if (taken(`/providers/microsoft.containerregistry/registries/${name.toLowerCase()}`)) {
      return {
        status: 200,
        body: {
          nameAvailable: false,
          reason: "AlreadyExists",
          message: "The registry name is already in use.",
        },
      };
    }
    return { status: 200, body: { nameAvailable: true } };
  }
  if (ns === "microsoft.keyvault" && type === "microsoft.keyvault/vaults") {
    const invalid = vaultNameError(name);
    if (invalid)
      return { status: 200, body: { nameAvailable: false, reason: "AccountNameInvalid", message: invalid } };
    if (
      taken(`/providers/microsoft.keyvault/vaults/${name.toLowerCase()}`) ||
      core.state.deletedVaults[name.toLowerCase()]
    ) {
      return {
        status: 200,
        body: {
          nameAvailable: false,
          reason: "AlreadyExists",
          message: `The vault name '${name}' is already in use.`,
        },
      };
    }
    return { status: 200, body: { nameAvailable: true } };
  }
  throw new ArmError(
    400,
    "InvalidResourceType",
    `The resource type '${String(body["type"])}' is not supported by checkNameAvailability of '${ns}'.`,
  );
}

function deletedVaults(core: SandboxCore, req: SandboxRequest, seg: string[]): SandboxResponse | undefined {
  const lower = seg.map((s) => s.toLowerCase());
  const sub = core.state.subscriptionId;
  if (lower[0] === "deletedvaults" && seg.length === 1 && req.method === "GET") {
    return {
      status: 200,
      body: { value: Object.values(core.state.deletedVaults).map((d) => deletedVaultBody(sub, d)) },
    };
  }
  if (lower[0] === "locations" && lower[2] === "deletedvaults" && seg.length >= 4) {
    const name = (seg[3] ?? "").toLowerCase();
    const d = core.state.deletedVaults[name];
    const missing = () =>
      new ArmError(
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.KeyVault/deletedVaults/${seg[3] ?? ""}' was not found.`,
      );
    if (seg.length === 4 && req.method === "GET") {
      if (!d) throw missing();
      return { status: 200, body: deletedVaultBody(sub, d) };
    }
    if (seg.length === 5 && lower[4] === "purge" && req.method === "POST") {
      if (!d) throw missing();
      if (d.purgeProtectionEnabled) {
        throw new ArmError(
          409,
          "Conflict",
          `Operation 'DeletedVaultPurge' is not allowed: vault '${d.name}' has purge protection enabled and can only be purged after ${new Date(d.scheduledPurgeDate).toISOString()}.`,
        );
      }
      delete core.state.deletedVaults[name];
      delete core.state.vaults[name];
      delete core.secrets.vaultSecrets[name];
      core.persist();
      return { status: 200 };
    }
  }
  return undefined;
}
