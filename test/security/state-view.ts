import { readFileSync } from "node:fs";
import { join } from "node:path";
import { APP } from "./harness.js";

/**
 * Readable views of the sandbox's state.json for the least-privilege assertions: role
 * assignments as (principal, role, scope) labels in the words of ARCHITECTURE.md's table.
 */

interface Resource {
  readonly id: string;
  readonly type: string;
  readonly body: { name?: string; properties?: Record<string, unknown> } & Record<string, unknown>;
}

export interface SandboxStateFile {
  readonly subscriptionId: string;
  readonly clientObjectId: string;
  readonly resources: Readonly<Record<string, Resource>>;
  readonly devops: {
    readonly serviceEndpoints: Readonly<Record<string, ServiceEndpoint>>;
    readonly pipelinePermissions: Readonly<Record<string, PipelinePermission>>;
    readonly definitions: Readonly<Record<string, { name: string }>>;
    readonly variableGroups: Readonly<Record<string, { name: string; type: string; variables: object }>>;
    readonly environments: Readonly<Record<string, { name: string }>>;
    readonly checks: Readonly<Record<string, Check>>;
  };
}

export interface ServiceEndpoint {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly data: Record<string, string>;
  readonly authorization: { scheme: string; parameters: Record<string, string> };
  readonly secretParameterNames?: readonly string[];
}

export interface PipelinePermission {
  readonly allPipelines: { authorized: boolean } | null;
  readonly pipelines: readonly { id: number; authorized: boolean }[];
}

export interface Check {
  readonly type: { name: string };
  readonly resource: { type: string; name: string };
  readonly settings: { approvers: readonly unknown[]; minRequiredApprovers: number };
}

export function readState(sandboxDir: string): SandboxStateFile {
  return JSON.parse(readFileSync(join(sandboxDir, "state.json"), "utf8")) as SandboxStateFile;
}

export const byType = (s: SandboxStateFile, type: string): Resource[] =>
  Object.values(s.resources).filter((r) => r.type === type);

/** Built-in role definition ids (the same GUIDs in every Azure tenant). */
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
  "7f951dda-4ed3-4680-a7ca-43fe172d538d": "AcrPull",
  "8311e382-0749-4cb8-b61a-304f252e45ec": "AcrPush",
  "577a9874-89fd-4f24-9dbd-b5034d0ad23a": "Container Registry Data Importer and Data Reader",
  "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
  "4abbcc35-e782-43d8-92c5-2d3f1bd2253f": "Azure Kubernetes Service Cluster User Role",
  "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb": "Azure Kubernetes Service RBAC Writer",
};

/** The sandbox's own seed: its signed-in principal is Owner of the subscription (the operator). */
export const SANDBOX_SEED_ASSIGNMENT = "00000000-0000-4000-8000-000000000001";

export interface Assignment {
  readonly name: string;
  readonly principal: string;
  readonly role: string;
  readonly scope: string;
  readonly rawScope: string;
}

/** Principals by object id: pipeline identities, kubelet identities, the operator. */
function principalLabels(s: SandboxStateFile): Map<string, string> {
  const labels = new Map<string, string>([[s.clientObjectId, "operator"]]);
  for (const id of byType(s, "Microsoft.ManagedIdentity/userAssignedIdentities")) {
    const name = String(id.body.name);
    const m = new RegExp(`^id-${APP}-(ci|staging|prod)$`).exec(name);
    if (m) labels.set(String(id.body.properties?.["principalId"]), `id-APP-${m[1]}`);
  }
  for (const c of byType(s, "Microsoft.ContainerService/managedClusters")) {
    const side = String(c.body.name) === `aks-${APP}-prod` ? "prod" : "staging";
    const kubelet = (c.body.properties?.["identityProfile"] as { kubeletidentity?: { objectId?: string } })
      ?.kubeletidentity?.objectId;
    if (kubelet) labels.set(kubelet, `${side} kubelet identity`);
  }
  return labels;
}

function scopeLabel(s: SandboxStateFile, scope: string): string {
  const sub = `/subscriptions/${s.subscriptionId}`;
  if (scope.toLowerCase() === sub.toLowerCase()) return "subscription";
  const rg = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)(\/providers\/([^/]+\/[^/]+)\/([^/]+))?/i.exec(
    scope,
  );
  if (!rg) return scope;
  const [, group, , type, name] = rg;
  if (!type) return `resource group ${group}`;
  const side = group === `rg-${APP}-prod` ? "prod" : "non-prod";
  if (/ContainerRegistry\/registries/i.test(type)) return `${side} registry`;
  if (/KeyVault\/vaults/i.test(type)) return "CI vault";
  // A namespace-scoped RBAC Writer (allowed by the table) still counts as its cluster.
  if (/ContainerService\/managedClusters/i.test(type))
    return name === `aks-${APP}-prod` ? "prod cluster" : "staging cluster";
  return scope;
}

export function assignments(s: SandboxStateFile): Assignment[] {
  const labels = principalLabels(s);
  return byType(s, "Microsoft.Authorization/roleAssignments").map((r) => {
    const p = r.body.properties as { principalId: string; roleDefinitionId: string; scope: string };
    const roleGuid = p.roleDefinitionId.split("/").pop()!;
    return {
      name: String(r.body.name),
      principal: labels.get(p.principalId) ?? `unknown principal ${p.principalId}`,
      role: ROLE_NAMES[roleGuid] ?? `role ${roleGuid}`,
      scope: scopeLabel(s, p.scope),
      rawScope: p.scope,
    };
  });
}

/** ARCHITECTURE.md, "Role assignments (least privilege)", as (principal | role | scope) rows. */
export const LEAST_PRIVILEGE_TABLE: readonly string[] = [
  "staging kubelet identity | AcrPull | non-prod registry",
  "prod kubelet identity | AcrPull | prod registry",
  "id-APP-ci | AcrPush | non-prod registry",
  "id-APP-ci | Key Vault Secrets User | CI vault",
  "id-APP-staging | Azure Kubernetes Service Cluster User Role | staging cluster",
  "id-APP-staging | Azure Kubernetes Service RBAC Writer | staging cluster",
  "id-APP-prod | Container Registry Data Importer and Data Reader | non-prod registry",
  "id-APP-prod | Container Registry Data Importer and Data Reader | prod registry",
  "id-APP-prod | Azure Kubernetes Service Cluster User Role | prod cluster",
  "id-APP-prod | Azure Kubernetes Service RBAC Writer | prod cluster",
];

export const row = (a: Assignment) => `${a.principal} | ${a.role} | ${a.scope}`;
