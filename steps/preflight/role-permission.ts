import { UserError } from "../../src/engine/errors.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { azureFailure, isNotFound, resourceGroupName } from "../azure/common.js";
import { createPipelineRequest } from "@azure/core-rest-pipeline";

const NEEDED = "Microsoft.Authorization/roleAssignments/write";

interface PermissionSet {
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
}

export interface RolePermissionState {
  /** Scope -> whether the caller may write role assignments there. */
  readonly scopes: Readonly<Record<string, boolean>>;
}

/**
 * The operator may create role assignments (Owner, User Access Administrator or RBAC
 * Administrator) where they are needed: on each resource group that exists, or on the
 * subscription for the ones still to be created (they inherit from it).
 */
export function rolePermissionPreflightStep(deps: StepDeps): Step<RolePermissionState> {
  const groups = [resourceGroupName(deps, "nonprod"), resourceGroupName(deps, "prod")];
  const sub = deps.target.subscriptionId;
  return {
    id: ids.preflight.roleAssignPermission,
    title: "Operator can create role assignments",
    group: "preflight",
    dependsOn: [ids.preflight.credential],
    async detect(ctx) {
      const scopes: Record<string, boolean> = {};
      try {
        let subscriptionAllowed: Promise<boolean> | undefined;
        const atSubscription = () =>
          (subscriptionAllowed ??= subscriptionPermissions(deps, ctx.signal).then(allows));
        await Promise.all(
          groups.map(async (rg) => {
            try {
              const perms: PermissionSet[] = [];
              for await (const p of deps.azure.authorization.permissions.listForResourceGroup(rg, {
                abortSignal: ctx.signal,
              }))
                perms.push(p);
              scopes[`resource group ${rg}`] = allows(perms);
            } catch (err) {
              if (!isNotFound(err)) throw err;
              // Not created yet: it will inherit what the caller holds on the subscription.
              scopes[`subscription ${sub} (for ${rg})`] = await atSubscription();
            }
          }),
        );
      } catch (err) {
        throw azureFailure("checking the operator's permission to create role assignments", err);
      }
      const denied = Object.entries(scopes)
        .filter(([, ok]) => !ok)
        .map(([scope]) => scope);
      if (denied.length)
        throw new UserError(
          `Checking permissions: the signed-in account cannot create role assignments (${NEEDED}) on ${denied.join(", ")}.`,
          "Ask for Owner, User Access Administrator or Role Based Access Control Administrator on those scopes, then rerun.",
        );
      return { scopes };
    },
    diff() {
      return { kind: "noop" };
    },
    async apply() {},
  };
}

/** GET /subscriptions/{id}/providers/Microsoft.Authorization/permissions (not in the SDK). */
async function subscriptionPermissions(deps: StepDeps, signal: AbortSignal): Promise<PermissionSet[]> {
  const client = deps.azure.authorization;
  const url = `${deps.target.armEndpoint.replace(/\/$/, "")}/subscriptions/${deps.target.subscriptionId}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`;
  const res = await client.sendRequest(createPipelineRequest({ url, method: "GET", abortSignal: signal }));
  if (res.status >= 400) {
    const body = JSON.parse(res.bodyAsText ?? "{}") as { error?: { code?: string; message?: string } };
    throw Object.assign(new Error(body.error?.message ?? `HTTP ${res.status}`), {
      statusCode: res.status,
      code: body.error?.code,
    });
  }
  return (JSON.parse(res.bodyAsText ?? "{}") as { value?: PermissionSet[] }).value ?? [];
}

/** Whether any permission set grants NEEDED (wildcards as ARM evaluates them). */
export function allows(perms: readonly PermissionSet[]): boolean {
  return perms.some(
    (p) =>
      (p.actions ?? []).some((a) => matches(a, NEEDED)) &&
      !(p.notActions ?? []).some((n) => matches(n, NEEDED)),
  );
}

function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map(escape).join(".*")}$`, "i");
  return re.test(action);
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\/]/g, "\\$&");
}
