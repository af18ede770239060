import type { SandboxCore } from "./core.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

/**
 * Entra ID, just enough for MSAL's client-credentials flow: the OpenID discovery documents
 * (v2 and v1), the signing keys, and the token endpoints. Tokens carry the requested audience,
 * so ARM, Key Vault and Azure DevOps can each check theirs.
 */
const aadError = (status: number, error: string, code: number, description: string): SandboxResponse => ({
  status,
  body: {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: 00000000-0000-0000-0000-000000000000\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
  },
});

/** "https://management.azure.com/.default" -> "https://management.azure.com/" (ARM keeps its slash). */
export function audienceForScope(scope: string): string {
  const first = scope.split(/\s+/).find((s) => s.endsWith("/.default") || s.includes("/")) ?? scope;
  const resource = first.replace(/\.default$/, "");
  if (/^https:\/\/management\.(azure\.com|core\.windows\.net)\/$/.test(resource)) return resource;
  return resource.replace(/\/$/, "");
}

export function createLoginService(core: SandboxCore) {
  const tenant = core.state.tenantId;

  /** `base`: the authority, `{login}/{tenant}` or the ADFS-style alias `{login}/adfs`. */
  function discovery(v2: boolean, base = `${core.loginUrl}/${tenant}`): SandboxResponse {
    return {
      status: 200,
      body: {
        token_endpoint: v2 ? `${base}/oauth2/v2.0/token` : `${base}/oauth2/token`,
        token_endpoint_auth_methods_supported: [
          "client_secret_post",
          "private_key_jwt",
          "client_secret_basic",
        ],
        jwks_uri: `${core.loginUrl}/${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["ES256", "RS256"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        issuer: v2 ? `${base}/v2.0` : `https://sts.windows.net/${tenant}/`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${core.loginUrl}/oidc/userinfo`,
        authorization_endpoint: v2 ? `${base}/oauth2/v2.0/authorize` : `${base}/oauth2/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: v2 ? `${base}/oauth2/v2.0/logout` : `${base}/oauth2/logout`,
        claims_supported: ["sub", "iss", "aud", "exp", "iat", "tid", "oid", "appid"],
        tenant_region_scope: "EU",
        cloud_instance_name: "microsoftonline.com",
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: "graph.microsoft.com",
      },
    };
  }

  function token(req: SandboxRequest, reqTenant: string, v2: boolean): SandboxResponse {
    if (reqTenant.toLowerCase() !== tenant.toLowerCase()) {
      return aadError(400, "invalid_request", 90002, `Tenant '${reqTenant}' not found.`);
    }
    const form = new URLSearchParams(req.rawBody.toString("utf8"));
    const grant = form.get("grant_type");
    if (grant !== "client_credentials") {
      return aadError(
        400,
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grant ?? ""}'.`,
      );
    }
    const clientId = form.get("client_id") ?? "";
    if (clientId !== core.state.clientId) {
      return aadError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    if (form.get("client_secret") !== core.secrets.clientSecret) {
      return aadError(401, "invalid_client", 7000215, "Invalid client secret provided.");
    }
    const scope =
      v2 || form.has("scope") ? (form.get("scope") ?? "") : `${form.get("resource") ?? ""}/.default`;
    if (!scope.trim())
      return aadError(400, "invalid_scope", 1002012, "The provided value for scope is not valid.");
    const aud = audienceForScope(scope);
    const now = Math.floor(core.clock.now() / 1000);
    const accessToken = core.signer.issue({
      aud,
      iss: `https://sts.windows.net/${tenant}/`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      appid: core.state.clientId,
      appidacr: "1",
      idtyp: "app",
      oid: core.state.clientObjectId,
      sub: core.state.clientObjectId,
      tid: tenant,
      ver: "1.0",
    });
    return {
      status: 200,
      body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken },
    };
  }

  return {
    async handle(req: SandboxRequest): Promise<SandboxResponse> {
      const p = req.path.replace(/\/$/, "");
      let m: RegExpExecArray | null;
      // ADFS-style alias (see arm/metadata.ts): same tenant, same tokens, an authority MSAL for
      // Python accepts without asking login.microsoftonline.com.
      if (req.method === "GET" && /^\/adfs\/\.well-known\/openid-configuration$/i.test(p))
        return discovery(false, `${core.loginUrl}/adfs`);
      if (req.method === "POST" && /^\/adfs\/oauth2\/token$/i.test(p)) return token(req, tenant, false);
      if (req.method === "GET" && (m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i.exec(p)))
        return discovery(true);
      if (req.method === "GET" && (m = /^\/([^/]+)\/\.well-known\/openid-configuration$/i.exec(p)))
        return discovery(false);
      if (req.method === "GET" && /^\/([^/]+)\/discovery\/(v2\.0\/)?keys$/i.test(p)) {
        return { status: 200, body: { keys: [core.signer.jwk] } };
      }
      if (req.method === "GET" && /^\/common\/discovery\/instance$/i.test(p)) {
        const host = new URL(core.loginUrl).host;
        return {
          status: 200,
          body: {
            tenant_discovery_endpoint: `${core.loginUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
            "api-version": "1.1",
            metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
          },
        };
      }
      if (req.method === "POST" && (m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i.exec(p)))
        return token(req, m[1] ?? "", true);
      if (req.method === "POST" && (m = /^\/([^/]+)\/oauth2\/token$/i.exec(p)))
        return token(req, m[1] ?? "", false);
      return aadError(
        404,
        "invalid_request",
        90000,
        `The endpoint ${req.method} ${req.path} does not exist.`,
      );
    },
  };
}
