import type { AccessToken } from "@azure/core-auth";
import { UserError } from "../engine/errors.js";
import type { Target } from "./target.js";

/** Azure DevOps' Entra resource id: tokens for it come from the same Azure credential. */
export const DEVOPS_SCOPE = "499b84ac-1321-427f-aa17-267ca6975798/.default";

/** Refresh an Entra token this long before it expires, so no request carries a stale one. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** The Authorization header value for the Target's Azure DevOps credential, refreshed when near expiry. */
export interface DevopsAuth {
  readonly kind: "entra" | "pat";
  /** `Bearer <token>` or `Basic <base64(:pat)>`. Never log it. */
  header(): Promise<string>;
  /** The raw token for azure-devops-node-api's handlers. Never log it. */
  token(): Promise<string>;
}

export function createDevopsAuth(target: Target): DevopsAuth {
  const auth = target.devopsAuth;
  if (auth.kind === "pat") {
    const pat = auth.token;
    return {
      kind: "pat",
      header: async () => `Basic ${Buffer.from(`PAT:${pat}`).toString("base64")}`,
      token: async () => pat,
    };
  }
  let cached: AccessToken | undefined;
  let inflight: Promise<AccessToken> | undefined;
  const fresh = (t: AccessToken | undefined): t is AccessToken =>
    t !== undefined && t.expiresOnTimestamp - Date.now() > REFRESH_MARGIN_MS;
  const token = async (): Promise<string> => {
    if (fresh(cached)) return cached.token;
    // One refresh at a time: concurrent steps share it instead of stampeding the credential.
    inflight ??= (async () => {
      try {
        const t = await target.credential.getToken(DEVOPS_SCOPE);
        if (!t) throw new Error("the credential returned no token");
        cached = t;
        return t;
      } catch (err) {
        throw tokenAcquisitionError(err);
      } finally {
        inflight = undefined;
      }
    })();
    return (await inflight).token;
  };
  return { kind: "entra", token, header: async () => `Bearer ${await token()}` };
}

function tokenAcquisitionError(err: unknown): UserError {
  if (err instanceof UserError) return err;
  const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
  return new UserError(
    `Could not get an Entra token for Azure DevOps from the Azure credential (DefaultAzureCredential): ${reason}`,
    "Sign in with `az login` (or provide another credential DefaultAzureCredential accepts), or set AZURE_DEVOPS_EXT_PAT to an Azure DevOps personal access token, then rerun.",
    { cause: err },
  );
}

/**
 * The error for a 401 (credential refused) or a 203/302 sign-in page (no usable credential),
 * naming the credential that failed and how to fix it.
 */
export function devopsAuthError(
  kind: DevopsAuth["kind"],
  what: "refused" | "sign-in-page",
  request: string,
  organizationUrl: string,
): UserError {
  const answer =
    what === "refused"
      ? "refused the credential (HTTP 401)"
      : "answered with a sign-in page instead of data (HTTP 203), which means it did not accept the credential";
  if (kind === "pat") {
    return new UserError(
      `Azure DevOps at ${organizationUrl} ${answer} for ${request}: the personal access token from AZURE_DEVOPS_EXT_PAT was not accepted`,
      "The token may be expired, revoked, created for another organization, or missing scopes (Project and Team, Code, Build, Service Connections, Variable Groups, Environment, Policy: read & manage). Create a new one and export AZURE_DEVOPS_EXT_PAT, or unset AZURE_DEVOPS_EXT_PAT to use your `az login` Entra sign-in, then rerun.",
    );
  }
  return new UserError(
    `Azure DevOps at ${organizationUrl} ${answer} for ${request}: the Entra token from the Azure credential (DefaultAzureCredential, e.g. \`az login\`) was not accepted`,
    "Run `az login` as a user who is a member of this Azure DevOps organization (its Microsoft Entra tenant must be connected to the organization), or set AZURE_DEVOPS_EXT_PAT to a personal access token, then rerun.",
  );
}
