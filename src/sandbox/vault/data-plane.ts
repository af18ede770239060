import { randomBytes } from "node:crypto";
import type { SandboxCore } from "../core.js";
import type { VaultSecret, VaultSecretVersion } from "../state.js";
import type { SandboxRequest, SandboxResponse } from "../types.js";
import { authorizeSecretOp, type SecretOp } from "./authorize.js";

/**
 * Key Vault secrets data plane for one vault. The SDK's first request carries neither token nor
 * body and expects the 401 challenge naming the authority and resource; values are kept in the
 * secret store, never in state.json.
 */
const kvError = (
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): SandboxResponse => ({
  status,
  ...(headers ? { headers } : {}),
  body: { error: { code, message } },
});

const epoch = (ms: number) => Math.floor(ms / 1000);
const NAME = /^[0-9a-zA-Z-]{1,127}$/;

export function createVaultService(core: SandboxCore, vaultName: string) {
  const key = vaultName.toLowerCase();
  const data = () => (core.state.vaults[key] ??= { port: 0, secrets: {} });
  const values = () => (core.secrets.vaultSecrets[key] ??= {});
  const base = () => `https://127.0.0.1:${data().port}`;

  const attributes = (v: VaultSecretVersion) => ({
    enabled: v.enabled,
    created: epoch(v.created),
    updated: epoch(v.updated),
    recoveryLevel: "Recoverable+Purgeable",
    recoverableDays: 90,
  });
  const bundle = (name: string, v: VaultSecretVersion, withValue: boolean) => ({
    ...(withValue ? { value: values()[name.toLowerCase()]?.[v.version] ?? "" } : {}),
    id: `${base()}/secrets/${name}/${v.version}`,
    ...(v.contentType ? { contentType: v.contentType } : {}),
    attributes: attributes(v),
    tags: v.tags ?? {},
  });
  const item = (name: string, v: VaultSecretVersion, versioned: boolean) => ({
    id: versioned ? `${base()}/secrets/${name}/${v.version}` : `${base()}/secrets/${name}`,
    ...(v.contentType ? { contentType: v.contentType } : {}),
    attributes: attributes(v),
    tags: v.tags ?? {},
  });
  const notFound = (name: string) =>
    kvError(
      404,
      "SecretNotFound",
      `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    );
  const live = (name: string): VaultSecret | undefined => {
    const s = data().secrets[name.toLowerCase()];
    return s && !s.deleted ? s : undefined;
  };
  const deletedBody = (name: string, s: VaultSecret) => {
    const v = s.versions[s.versions.length - 1] as VaultSecretVersion;
    return {
      recoveryId: `${base()}/deletedsecrets/${name}`,
      deletedDate: epoch(s.deleted?.deletedDate ?? 0),
      scheduledPurgeDate: epoch(s.deleted?.scheduledPurgeDate ?? 0),
      ...item(name, v, true),
    };
  };

  function challenge(): SandboxResponse {
    return kvError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", {
      "WWW-Authenticate": `Bearer authorization="https://login.microsoftonline.com/${core.state.tenantId}", resource="https://vault.azure.net"`,
    });
  }

  async function handle(req: SandboxRequest): Promise<SandboxResponse> {
    if (!req.headers.authorization) return challenge();
    if (!req.caller) return kvError(401, "Unauthorized", "AKV10032: Invalid issuer or signature.");
    if (req.caller.audience.replace(/\/$/, "") !== "https://vault.azure.net") {
      return kvError(
        401,
        "Unauthorized",
        `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${req.caller.audience}.`,
      );
    }
    if (!req.query.get("api-version"))
      return kvError(400, "BadParameter", "The 'api-version' query parameter is missing.");
    const seg = req.path.split("/").filter(Boolean);
    const head = seg[0]?.toLowerCase();
    const name = seg[1] ?? "";
    const m = req.method;
    const denied = authorizeSecretOp(core, vaultName, req.caller, opOf(seg, m));
    if (denied) return { status: 403, body: denied };
    if (head === "secrets") {
      if (seg.length === 1 && m === "GET") {
        const value = Object.values(data().secrets)
          .filter((s) => !s.deleted)
          .map((s) => s.versions[s.versions.length - 1] as VaultSecretVersion)
          .map((v) => item(nameOf(v), v, false));
        return { status: 200, body: { value, nextLink: null } };
      }
      if (!NAME.test(name))
        return kvError(400, "BadParameter", `The request URI contains an invalid name: ${name}`);
      const s = live(name);
      if (seg.length === 2 && m === "PUT") {
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (typeof body["value"] !== "string")
          return kvError(400, "BadParameter", "Property 'value' is required and must be a string.");
        if (data().secrets[name.toLowerCase()]?.deleted) {
          return kvError(
            409,
            "Conflict",
            `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
          );
        }
        const now = core.clock.now();
        const attrs = (body["attributes"] ?? {}) as Record<string, unknown>;
        const v: VaultSecretVersion = {
          version: randomBytes(16).toString("hex"),
          ...(typeof body["contentType"] === "string" ? { contentType: body["contentType"] } : {}),
          ...(body["tags"] ? { tags: body["tags"] as Record<string, string> } : {}),
          enabled: attrs["enabled"] !== false,
          created: now,
          updated: now,
        };
        const entry = (data().secrets[name.toLowerCase()] ??= { name, versions: [] });
        entry.versions.push(v);
        const vals = (values()[name.toLowerCase()] ??= {});
        vals[v.version] = body["value"];
        core.persist();
        return { status: 200, body: bundle(name, v, true) };
      }
      if (!s) return notFound(name);
      if (seg.length === 2 && m === "GET")
        return {
          status: 200,
          body: bundle(name, s.versions[s.versions.length - 1] as VaultSecretVersion, true),
        };
      if (seg.length === 2 && m === "DELETE") {
        const now = core.clock.now();
        s.deleted = { deletedDate: now, scheduledPurgeDate: now + 90 * 86400_000 };
        core.persist();
        return { status: 200, body: deletedBody(name, s) };
      }
      if (seg.length === 3 && seg[2]?.toLowerCase() === "versions" && m === "GET") {
        return { status: 200, body: { value: s.versions.map((v) => item(name, v, true)), nextLink: null } };
      }
      if (seg.length === 3 && m === "GET") {
        const v = s.versions.find((x) => x.version === seg[2]);
        if (!v)
          return kvError(
            404,
            "SecretNotFound",
            `A secret with (name/id) ${name}/${seg[2] ?? ""} was not found in this key vault.`,
          );
        return { status: 200, body: bundle(name, v, true) };
      }
      if (seg.length === 3 && m === "PATCH") {
        const v =
          s.versions.find((x) => x.version === seg[2]) ??
          (s.versions[s.versions.length - 1] as VaultSecretVersion);
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (typeof body["contentType"] === "string") v.contentType = body["contentType"];
        if (body["tags"]) v.tags = body["tags"] as Record<string, string>;
        const attrs = (body["attributes"] ?? {}) as Record<string, unknown>;
        if (typeof attrs["enabled"] === "boolean") v.enabled = attrs["enabled"];
        v.updated = core.clock.now();
        core.persist();
        return { status: 200, body: bundle(name, v, false) };
      }
    }
    if (head === "deletedsecrets") {
      if (seg.length === 1 && m === "GET") {
        const value = Object.entries(data().secrets)
          .filter(([, s]) => s.deleted)
          .map(([, s]) => deletedBody(nameOf(s.versions[0] as VaultSecretVersion), s));
        return { status: 200, body: { value, nextLink: null } };
      }
      const s = data().secrets[name.toLowerCase()];
      if (!s?.deleted) return kvError(404, "SecretNotFound", `Deleted Secret not found: ${name}`);
      if (seg.length === 2 && m === "GET") return { status: 200, body: deletedBody(name, s) };
      if (seg.length === 2 && m === "DELETE") {
        delete data().secrets[name.toLowerCase()];
        delete values()[name.toLowerCase()];
        core.persist();
        return { status: 204 };
      }
      if (seg.length === 3 && seg[2]?.toLowerCase() === "recover" && m === "POST") {
        delete s.deleted;
        core.persist();
        return {
          status: 200,
          body: bundle(name, s.versions[s.versions.length - 1] as VaultSecretVersion, false),
        };
      }
    }
    return kvError(400, "BadParameter", `The request URI is not valid: ${m} ${req.path}`);
  }

  /** The data action a request needs: reading a value is `get`, names and metadata are `list`. */
  function opOf(seg: string[], m: string): SecretOp {
    if (seg[0]?.toLowerCase() === "deletedsecrets")
      return m === "DELETE" ? "purge" : m === "POST" ? "recover" : "list";
    if (m === "PUT" || m === "PATCH") return "set";
    if (m === "DELETE") return "delete";
    if (seg.length === 1 || seg[2]?.toLowerCase() === "versions") return "list";
    return "get";
  }

  // Secret names keep the case of their first write.
  function nameOf(v: VaultSecretVersion): string {
    for (const [n, s] of Object.entries(data().secrets)) if (s.versions.includes(v)) return s.name ?? n;
    return "";
  }

  return { handle };
}
