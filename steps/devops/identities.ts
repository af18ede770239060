import { UserError } from "../../src/engine/errors.js";
import type { StepDeps } from "../deps.js";

/** An Azure DevOps identity as approval checks reference it. */
export interface IdentityRef {
  readonly id: string;
  readonly displayName: string;
}

interface RawIdentity {
  id: string;
  providerDisplayName?: string;
  customDisplayName?: string;
  properties?: Record<string, { $value?: string } | undefined>;
}

/**
 * The identity service lives on its own host in Azure DevOps Services (vssps.dev.azure.com/ORG,
 * ORG.vssps.visualstudio.com); elsewhere (Azure DevOps Server, the sandbox) it is the
 * organization URL itself.
 */
export function identityServiceUrl(organizationUrl: string): string {
  const url = new URL(organizationUrl);
  const base = organizationUrl.replace(/\/+$/, "");
  if (url.hostname.toLowerCase() === "dev.azure.com")
    return base.replace("://dev.azure.com", "://vssps.dev.azure.com");
  const vs = /^([^.]+)\.visualstudio\.com$/i.exec(url.hostname);
  if (vs) return `${url.protocol}//${vs[1]}.vssps.visualstudio.com`;
  return base;
}

function toRef(i: RawIdentity): IdentityRef {
  return { id: i.id, displayName: i.providerDisplayName ?? i.customDisplayName ?? i.id };
}

/** Who the tool runs as (the Entra user or PAT owner). */
export async function signedInUser(deps: StepDeps): Promise<IdentityRef> {
  const res = await deps.devops.rest<{ authenticatedUser?: RawIdentity }>(
    "GET",
    "_apis/connectionData?api-version=7.1-preview.1",
  );
  const user = res.body?.authenticatedUser;
  if (res.status !== 200 || !user?.id)
    throw new Error("Azure DevOps did not say who is signed in (connectionData)");
  return toRef(user);
}

/** Resolves an e-mail / user principal name to its Azure DevOps identity. */
export async function resolveIdentity(deps: StepDeps, email: string): Promise<IdentityRef> {
  const base = identityServiceUrl(deps.devops.organizationUrl);
  const query = new URLSearchParams({
    searchFilter: "General",
    filterValue: email,
    queryMembership: "None",
    "api-version": "7.1",
  });
  const res = await deps.devops.rest<{ value?: RawIdentity[] }>("GET", `${base}/_apis/identities?${query}`);
  const found = res.status === 200 ? (res.body?.value ?? []) : [];
  const lower = email.toLowerCase();
  const exact = found.find((i) =>
    [i.properties?.Mail?.$value, i.properties?.Account?.$value].some((v) => v?.toLowerCase() === lower),
  );
  const match = exact ?? (found.length === 1 ? found[0] : undefined);
  if (!match) {
    throw new UserError(
      `no Azure DevOps user matches the approver ${email}`,
      "Add the user to the organization (Organization settings > Users), or fix devops.productionApprovers in the answers, then rerun.",
    );
  }
  return toRef(match);
}
