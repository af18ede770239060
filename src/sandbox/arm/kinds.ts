import type { SandboxCore } from "../core.js";
import type { SandboxRequest } from "../types.js";
import type { Shape } from "./shape.js";

/** Everything a resource kind's hooks may use. */
export interface KindContext {
  readonly core: SandboxCore;
  readonly req: SandboxRequest;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  /** Canonical id of the resource being handled. */
  readonly id: string;
  /** Base URL of ARM, for links in responses. */
  readonly armUrl: string;
}

/**
 * One ARM resource kind under a resource group: how its name is checked, what its PUT body must
 * look like (from the OpenAPI spec), what the service fills in, and how long a create takes.
 */
export interface TrackedKind {
  /** e.g. "Microsoft.ContainerRegistry" */
  readonly namespace: string;
  /** e.g. "registries" */
  readonly typeName: string;
  /** The `type` the RP returns (AKS answers "Microsoft.ContainerService/ManagedClusters"). */
  readonly responseType?: string;
  /** Returns an error message when the name breaks the kind's rules. */
  validateName(name: string): string | undefined;
  /** Error code for a bad name (InvalidResourceName unless the RP says otherwise). */
  readonly nameErrorCode?: string;
  readonly shape: Shape;
  readonly requiresLocation?: boolean;
  /** Error code for a missing required property, when the RP has its own. */
  readonly missingCode?: string;
  /** Extra semantic checks; throw ArmError. */
  check?(
    body: Record<string, unknown>,
    ctx: KindContext,
    existing: Record<string, unknown> | undefined,
  ): void;
  /** The resource as GET returns it (without provisioningState, which the engine sets). */
  build(
    body: Record<string, unknown>,
    ctx: KindContext,
    existing: Record<string, unknown> | undefined,
  ): Record<string, unknown>;
  /** The RP's responses carry no systemData (its spec predates it: Application Insights 2020-02-02). */
  readonly noSystemData?: boolean;
  /** The RP's properties carry no provisioningState (user-assigned identities). */
  readonly noProvisioningState?: boolean;
  /** Status of a successful create when the spec allows only 200 (Application Insights). */
  readonly createStatus?: 200;
  /** Realistic seconds a create takes; 0 or absent: synchronous. */
  readonly createSeconds?: number;
  readonly updateSeconds?: number;
  readonly deleteSeconds?: number;
  /** Names unique across Azure (registries, vaults): a name used elsewhere is a conflict. */
  readonly globallyUnique?: boolean;
  /** Called once the resource exists (after the PUT was accepted). */
  afterPut?(resource: Record<string, unknown>, ctx: KindContext): Promise<void> | void;
  /** Called when deleted; may replace plain removal (Key Vault soft delete). */
  afterDelete?(resource: Record<string, unknown>, ctx: KindContext): Promise<void> | void;
}

export function props(body: Record<string, unknown>): Record<string, unknown> {
  const p = body["properties"];
  return p && typeof p === "object" && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

export function systemData(ctx: KindContext, existing: Record<string, unknown> | undefined) {
  const now = new Date(ctx.core.clock.now()).toISOString();
  const prev = (existing?.["systemData"] ?? {}) as Record<string, unknown>;
  const by = ctx.req.caller?.appId ?? ctx.core.state.clientId;
  return {
    createdBy: prev["createdBy"] ?? by,
    createdByType: prev["createdByType"] ?? "Application",
    createdAt: prev["createdAt"] ?? now,
    lastModifiedBy: by,
    lastModifiedByType: "Application",
    lastModifiedAt: now,
  };
}
