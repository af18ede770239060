import type { DevopsClients } from "../../src/clients/devops.js";

/** An Azure DevOps identity (user or group) as approval checks reference it. */
export interface IdentityRef {
  readonly id: string;
  readonly displayName: string;
  /** True for a group (identities API: SchemaClassName "Group"). */
  readonly isGroup?: boolean;
}

/** What identity look-ups need of the Azure DevOps clients (the wizard's look-ups pass the same). */
export type IdentityClient = Pick<DevopsClients, "organizationUrl" | "rest">;

interface RawIdentity {
  id: string;
  providerDisplayName?: string;
  customDisplayName?: string;
  isContainer?: boolean;
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
  const group = i.properties?.SchemaClassName?.$value === "Group" || i.isContainer === true;
  return {
    id: i.id,
    displayName: i.providerDisplayName ?? i.customDisplayName ?? i.id,
    ...(group ? { isGroup: true } : {}),
  };
}

/** Who the tool runs as (the Entra user or PAT owner). */
export async function signedInUser(deps: { devops: IdentityClient }): Promise<IdentityRef> {
  const res = await deps.devops.rest<{ authenticatedUser?: RawIdentity }>(
    "GET",
    "_apis/connectionData?api-version=7.1-preview.1",
  );
  const user = res.body?.authenticatedUser;
  if (res.status !== 200 || !user?.id)
    throw new Error("Azure DevOps did not say who is signed in (connectionData)");
  return toRef(user);
}

/**
 * The organization's identity named `name`: a user by e-mail / user principal name, or a group
 * by its account name `[Project]\Group` / `[Organization]\Group`. The identities API's General
 * search looks at display names, account names and mail; only an exact match (or a single hit)
 * counts. Undefined when the organization has none.
 */
export async function findIdentity(client: IdentityClient, name: string): Promise<IdentityRef | undefined> {
  const query = new URLSearchParams({
    searchFilter: "General",
    filterValue: name,
    queryMembership: "None",
    "api-version": "7.1",
  });
  const res = await client.rest<{ value?: RawIdentity[] }>(
    "GET",
    `${identityServiceUrl(client.organizationUrl)}/_apis/identities?${query}`,
  );
  const found = res.status === 200 ? (res.body?.value ?? []) : [];
  const lower = name.toLowerCase();
  const exact = found.find((i) =>
    [i.properties?.Mail?.$value, i.properties?.Account?.$value, i.providerDisplayName].some(
      (v) => v?.toLowerCase() === lower,
    ),
  );
  const match = exact ?? (found.length === 1 ? found[0] : undefined);
  return match ? toRef(match) : undefined;
}

interface GraphSubject {
  principalName?: string;
  mailAddress?: string;
}

/**
 * Principal names of the organization's users and groups (Graph API, first page of each), for
 * "did you mean". Empty when the caller may not list them: a hint, never a check.
 */
export async function knownPrincipals(client: IdentityClient): Promise<string[]> {
  const base = identityServiceUrl(client.organizationUrl);
  const list = async (kind: "users" | "groups") => {
    try {
      const res = await client.rest<{ value?: GraphSubject[] }>(
        "GET",
        `${base}/_apis/graph/${kind}?api-version=7.1-preview.1`,
      );
      return res.status === 200 ? (res.body?.value ?? []) : [];
    } catch {
      return [];
    }
  };
  const subjects = (await Promise.all([list("users"), list("groups")])).flat();
  return [...new Set(subjects.map((s) => s.principalName ?? s.mailAddress ?? "").filter(Boolean))];
}
