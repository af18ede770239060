import { createHash } from "node:crypto";
import { BugError } from "../../src/engine/errors.js";
import type { Change, Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type RoleAssignmentKey } from "../ids.js";
import type { ObservedCluster, ObservedIdentity } from "../observed.js";
import { azureFailure, errorCode, getOrUndefined } from "./common.js";
import { clusterName } from "./aks.js";
import { identityName } from "./identity.js";
import { registryName } from "./registry.js";
import { notYetVisible, principalNotYetKnown, retryPropagation } from "./retry.js";
import { roleDefinitionId, roleGuid, type BuiltInRole } from "./roles.js";
import { caller } from "../preflight/caller.js";
import { deleteQuietly } from "./teardown.js";

/** The operator's own assignment, so it can write the CI secrets into an RBAC vault. */
export const OPERATOR_SECRETS_OFFICER = "operator-kv-secrets-officer";
export type AssignmentKey = RoleAssignmentKey | typeof OPERATOR_SECRETS_OFFICER;

interface Principal {
  readonly label: string;
  /** Step whose observed state carries the principal, or "operator" for the signed-in caller. */
  readonly from: { readonly step: string; readonly field: "kubeletObjectId" | "principalId" } | "operator";
}

interface Assignment {
  readonly key: AssignmentKey;
  readonly role: BuiltInRole;
  readonly principal: Principal;
  readonly scopeStep: string;
  readonly scopeLabel: string;
}

/** The least-privilege table of ARCHITECTURE.md section 2 (nothing at subscription scope). */
export function assignmentTable(deps: StepDeps): readonly Assignment[] {
  const kubelet = (stage: "staging" | "prod"): Principal => ({
    label: `${clusterName(deps, stage)} kubelet`,
    from: { step: ids.azure.cluster(stage), field: "kubeletObjectId" },
  });
  const identity = (role: "ci" | "staging" | "prod"): Principal => ({
    label: identityName(deps, role),
    from: { step: ids.azure.identity(role), field: "principalId" },
  });
  const registry = (side: "nonprod" | "prod") => ({
    scopeStep: ids.azure.registry(side),
    scopeLabel: registryName(deps, side),
  });
  const cluster = (stage: "staging" | "prod") => ({
    scopeStep: ids.azure.cluster(stage),
    scopeLabel: clusterName(deps, stage),
  });
  const vault = { scopeStep: ids.azure.keyVault, scopeLabel: deps.names.keyVault };
  return [
    {
      key: "staging-kubelet-acrpull",
      role: "AcrPull",
      principal: kubelet("staging"),
      ...registry("nonprod"),
    },
    { key: "prod-kubelet-acrpull", role: "AcrPull", principal: kubelet("prod"), ...registry("prod") },
    { key: "ci-acrpush", role: "AcrPush", principal: identity("ci"), ...registry("nonprod") },
    { key: "ci-kv-secrets-user", role: "Key Vault Secrets User", principal: identity("ci"), ...vault },
    {
      key: "staging-aks-cluster-user",
      role: "Azure Kubernetes Service Cluster User Role",
      principal: identity("staging"),
      ...cluster("staging"),
    },
    // Cluster scope: the namespace does not exist before the first deploy, and the writer is
    // still bounded by Kubernetes RBAC's own rules (no cluster-admin, no RBAC edits).
    {
      key: "staging-aks-rbac-writer",
      role: "Azure Kubernetes Service RBAC Writer",
      principal: identity("staging"),
      ...cluster("staging"),
    },
    {
      key: "prod-acr-importer-nonprod",
      role: "Container Registry Data Importer and Data Reader",
      principal: identity("prod"),
      ...registry("nonprod"),
    },
    {
      key: "prod-acr-importer-prod",
      role: "Container Registry Data Importer and Data Reader",
      principal: identity("prod"),
      ...registry("prod"),
    },
    {
      key: "prod-aks-cluster-user",
      role: "Azure Kubernetes Service Cluster User Role",
      principal: identity("prod"),
      ...cluster("prod"),
    },
    {
      key: "prod-aks-rbac-writer",
      role: "Azure Kubernetes Service RBAC Writer",
      principal: identity("prod"),
      ...cluster("prod"),
    },
    {
      key: OPERATOR_SECRETS_OFFICER,
      role: "Key Vault Secrets Officer",
      principal: { label: "the signed-in operator", from: "operator" },
      ...vault,
    },
  ];
}

export interface RoleAssignmentState {
  readonly id: string;
  readonly name: string;
  readonly scope: string;
  readonly principalId: string;
  readonly roleDefinitionId: string;
  /** Set when an equivalent assignment exists under another name (or a parent scope). */
  readonly equivalent?: boolean;
}

/**
 * Deterministic role assignment name: a UUID v5-style hash of scope, principal and role, so a
 * rerun (or a run after a crash) finds the assignment it made instead of adding another.
 */
export function roleAssignmentName(scope: string, principalId: string, roleGuidValue: string): string {
  const h = createHash("sha1")
    .update("6f1c2a8e-aks-bootstrap-role-assignment/")
    .update(`${scope.toLowerCase()}|${principalId.toLowerCase()}|${roleGuidValue.toLowerCase()}`)
    .digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function roleAssignmentStep(deps: StepDeps, a: Assignment): Step<RoleAssignmentState> {
  const sub = deps.target.subscriptionId;
  const roleId = roleDefinitionId(sub, a.role);
  const guid = roleGuid(roleId)!;
  const label = `role ${a.role} for ${a.principal.label} on ${a.scopeLabel}`;
  const principalStep = a.principal.from === "operator" ? undefined : a.principal.from;

  async function principalOf(ctx: StepContext): Promise<string | undefined> {
    if (!principalStep) return (await caller(deps, ctx.signal)).objectId;
    const observed = ctx.observed<ObservedCluster & ObservedIdentity>(principalStep.step);
    return observed?.[principalStep.field] || undefined;
  }
  const scopeOf = (ctx: StepContext) => ctx.observed<{ id: string }>(a.scopeStep)?.id || undefined;

  async function find(
    scope: string,
    principalId: string,
    ctx: StepContext,
  ): Promise<RoleAssignmentState | undefined> {
    const name = roleAssignmentName(scope, principalId, guid);
    const mine = await getOrUndefined(() =>
      deps.azure.authorization.roleAssignments.get(scope, name, { abortSignal: ctx.signal }),
    );
    if (mine)
      return {
        id: mine.id ?? "",
        name,
        scope,
        principalId,
        roleDefinitionId: mine.roleDefinitionId ?? roleId,
      };
    // Someone (or an older tool) may have granted the same role under another name: that counts.
    const filter = `principalId eq '${principalId}'`;
    for await (const ra of deps.azure.authorization.roleAssignments.listForScope(scope, {
      filter,
      abortSignal: ctx.signal,
    })) {
      const raScope = (ra.scope ?? "").toLowerCase();
      const covers =
        raScope === scope.toLowerCase() || (raScope !== "" && scope.toLowerCase().startsWith(`${raScope}/`));
      if (ra.principalId === principalId && roleGuid(ra.roleDefinitionId) === guid && covers)
        return {
          id: ra.id ?? "",
          name: ra.name ?? "",
          scope: ra.scope ?? scope,
          principalId,
          roleDefinitionId: ra.roleDefinitionId ?? roleId,
          equivalent: true,
        };
    }
    return undefined;
  }

  return {
    id: ids.azure.roleAssignment(a.key),
    title: label.charAt(0).toUpperCase() + label.slice(1),
    group: "azure",
    dependsOn: [...(principalStep ? [principalStep.step] : []), a.scopeStep].filter(
      (v, i, all) => all.indexOf(v) === i,
    ),
    async detect(ctx) {
      const scope = scopeOf(ctx);
      const principalId = await principalOf(ctx);
      if (!scope || !principalId) return undefined;
      try {
        return await find(scope, principalId, ctx);
      } catch (err) {
        throw azureFailure(`reading ${label}`, err);
      }
    },
    diff(observed): Change {
      if (!observed) return { kind: "create", summary: `${label}: missing` };
      return observed.equivalent
        ? { kind: "noop", notes: [`granted by assignment ${observed.name} at ${observed.scope}`] }
        : { kind: "noop" };
    },
    teardown: {
      // Only the assignment under our deterministic name; an equivalent one someone else made is kept.
      owned: (o) => !o.equivalent && o.name === roleAssignmentName(o.scope, o.principalId, guid),
      async remove(o, ctx) {
        await deleteQuietly(`removing ${label}`, () =>
          deps.azure.authorization.roleAssignments.delete(o.scope, o.name, { abortSignal: ctx.signal }),
        );
      },
    },
    async apply(_change, _observed, ctx) {
      const scope = scopeOf(ctx);
      const principalId = await principalOf(ctx);
      if (!scope || !principalId)
        throw new BugError(`${label}: scope or principal unknown after its dependencies were applied`);
      const name = roleAssignmentName(scope, principalId, guid);
      const principalType =
        a.principal.from === "operator" ? (await caller(deps, ctx.signal)).principalType : "ServicePrincipal";
      try {
        return await retryPropagation(deps, ctx, [principalNotYetKnown, notYetVisible], async () => {
          try {
            const ra = await deps.azure.authorization.roleAssignments.create(
              scope,
              name,
              { roleDefinitionId: roleId, principalId, principalType },
              { abortSignal: ctx.signal },
            );
            return { id: ra.id ?? "", name, scope, principalId, roleDefinitionId: roleId };
          } catch (err) {
            // Already granted (e.g. under another name, or by a run that crashed after the PUT).
            if (errorCode(err) === "RoleAssignmentExists")
              return (
                (await find(scope, principalId, ctx)) ?? {
                  id: "",
                  name,
                  scope,
                  principalId,
                  roleDefinitionId: roleId,
                }
              );
            throw err;
          }
        });
      } catch (err) {
        throw azureFailure(`granting ${label}`, err);
      }
    },
  };
}

/** The table's steps; the operator's own role only when there are secrets for it to write. */
export function roleAssignmentSteps(deps: StepDeps): Step<RoleAssignmentState>[] {
  return assignmentTable(deps)
    .filter((a) => a.key !== OPERATOR_SECRETS_OFFICER || deps.answers.keyVault.secrets.length > 0)
    .map((a) => roleAssignmentStep(deps, a));
}
