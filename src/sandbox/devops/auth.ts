import type { SandboxRequest, SandboxResponse } from "../types.js";
import type { IdentityRef } from "./state.js";

/** Azure DevOps' Entra application id: tokens must be issued for this audience. */
export const DEVOPS_AUDIENCE = "499b84ac-1321-427f-aa17-267ca6975798";
const AUDIENCES = new Set([
  DEVOPS_AUDIENCE,
  `api://${DEVOPS_AUDIENCE}`,
  "https://app.vssps.visualstudio.com",
]);

export type AuthResult =
  | { readonly kind: "ok"; readonly identity: IdentityRef }
  | { readonly kind: "anonymous" }
  | { readonly kind: "denied" };

/** The identity a PAT acts as (PATs belong to a user; the sandbox has one). */
const PAT_USER: IdentityRef = {
  id: "8f0a1c2e-51f4-4a6b-9d3e-2c7b6a5d4e31",
  displayName: "Sandbox User",
  uniqueName: "sandbox.user@example.com",
};

/**
 * `tenantId`: the Entra tenant the organization is connected to; a token from another tenant
 * is refused, as the service does for organizations backed by Entra ID.
 */
export function authenticate(req: SandboxRequest, pat: string, tenantId?: string): AuthResult {
  const header = req.headers.authorization;
  if (!header) return { kind: "anonymous" };
  const [scheme, value = ""] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === "bearer") {
    const c = req.caller;
    if (!c || !AUDIENCES.has(c.audience)) return { kind: "denied" };
    if (tenantId && c.tenantId.toLowerCase() !== tenantId.toLowerCase()) return { kind: "denied" };
    return { kind: "ok", identity: { id: c.objectId, displayName: c.name, uniqueName: c.name } };
  }
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const secret = colon >= 0 ? decoded.slice(colon + 1) : decoded;
    if (pat.length > 0 && secret === pat) return { kind: "ok", identity: PAT_USER };
    return { kind: "denied" };
  }
  return { kind: "denied" };
}

/**
 * A rejected credential: 401 with the challenges the service advertises, and the JSON error body
 * (TF400813) it sends to REST clients.
 */
export function unauthorizedResponse(tenantId: string | undefined): SandboxResponse {
  return {
    status: 401,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "www-authenticate": `Bearer authorization_uri=https://login.microsoftonline.com/${tenantId ?? "common"}, Basic realm="https://tfsprodweu5.visualstudio.com/", TFS-Federated`,
      "x-tfs-processid": "00000000-0000-0000-0000-000000000000",
      "x-tfs-fedauthrealm": "https://app.vssps.visualstudio.com",
      "x-tfs-fedauthissuer": "https://app.vssps.visualstudio.com",
      "x-vss-resourcetenant": tenantId ?? "00000000-0000-0000-0000-000000000000",
      "x-vss-authorizationendpoint": "https://vssps.dev.azure.com/",
    },
    body: {
      $id: "1",
      innerException: null,
      message: "TF400813: The user '' is not authorized to access this resource.",
      typeName:
        "Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server",
      typeKey: "UnauthorizedRequestException",
      errorCode: 0,
      eventId: 3000,
    },
  };
}

/**
 * No credentials at all: the service does not answer 401 but 203 Non-Authoritative Information
 * with its HTML sign-in page (clients that expect JSON then fail to parse it).
 */
export function signInPageResponse(organizationUrl: string): SandboxResponse {
  const html = `<!DOCTYPE html>
<html lang="en-US">
<head><title>Azure DevOps Services | Sign In</title><meta http-equiv="X-UA-Compatible" content="IE=11;&#32;IE=10;&#32;IE=9;&#32;IE=8" /></head>
<body>
<div class="sign-in"><p>Sign in to continue to Azure DevOps</p>
<a href="https://spsprodweu5.vssps.visualstudio.com/_signin?realm=dev.azure.com&amp;reply_to=${encodeURIComponent(organizationUrl)}">Sign in</a></div>
</body>
</html>
`;
  return {
    status: 203,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "x-tfs-fedauthrealm": "https://app.vssps.visualstudio.com",
      "x-tfs-fedauthredirect": `https://spsprodweu5.vssps.visualstudio.com/_signin?realm=dev.azure.com&reply_to=${encodeURIComponent(organizationUrl)}`,
    },
    body: html,
  };
}
