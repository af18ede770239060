import type { Change, FieldDiff, Step, StepContext } from "../../src/engine/types.js";
import type { ManagedCluster } from "@azure/arm-containerservice";
import type { StepDeps } from "../deps.js";
import { ids, type Stage } from "../ids.js";
import { sleep, writeThenRead } from "./retry.js";
import type { ObservedCluster } from "../observed.js";
import {
  azureFailure,
  callOptions,
  elapsed,
  getOrUndefined,
  peek,
  mergedTags,
  resourceGroupName,
  sameId,
  sideOf,
  tagDiffs,
} from "./common.js";
import { deleteQuietly, taggedTeardown } from "./teardown.js";
import type { WorkspaceState } from "./log-analytics.js";
import { aksVersionsPreflightId, type AksVersionsState } from "../preflight/aks-versions.js";
import { existingId, existingStep } from "./existing.js";

export interface ClusterState extends ObservedCluster {
  readonly provisioningState?: string;
  /** The cluster as read, so an update PUTs back everything we do not own unchanged. */
  readonly resource: ManagedCluster;
}

export const SYSTEM_POOL = "system";

export function clusterName(deps: StepDeps, stage: Stage): string {
  return stage === "staging" ? deps.names.clusterStaging : deps.names.clusterProd;
}

/**
 * AKS cluster of one stage. Owned: system-assigned identity, OIDC issuer, workload identity,
 * Entra ID with Azure RBAC, local accounts disabled, the monitoring addon (omsagent with AAD
 * auth) to its side's workspace, tags, and the system pool's node count unless the autoscaler
 * manages it. Version: the pinned one (validated by preflight) or the region default; an
 * existing cluster is never downgraded.
 */
export function clusterStep(deps: StepDeps, stage: Stage): Step<ClusterState> {
  const side = sideOf(stage);
  const name = clusterName(deps, stage);
  const existing = existingId(deps, stage === "staging" ? "clusterStaging" : "clusterProd");
  const rg = existing?.resourceGroup ?? resourceGroupName(deps, side);
  const workspaceStepId = ids.azure.workspace(side);
  const aks = deps.answers.azure.aks;
  const toState = (c: ManagedCluster): ClusterState => ({
    id: c.id ?? "",
    name: c.name ?? name,
    resourceGroup: rg,
    ...(c.identityProfile?.["kubeletidentity"]?.objectId
      ? { kubeletObjectId: c.identityProfile["kubeletidentity"].objectId }
      : {}),
    ...(c.oidcIssuerProfile?.issuerURL ? { oidcIssuerUrl: c.oidcIssuerProfile.issuerURL } : {}),
    ...(c.provisioningState ? { provisioningState: c.provisioningState } : {}),
    resource: c,
  });
  if (existing)
    return existingStep<ManagedCluster, ClusterState>(deps, {
      id: ids.azure.cluster(stage),
      key: stage === "staging" ? "clusterStaging" : "clusterProd",
      side,
      toState,
    });
  const omsagent = (workspaceId: string | undefined) => ({
    enabled: true,
    config: { ...(workspaceId ? { logAnalyticsWorkspaceResourceID: workspaceId } : {}), useAADAuth: "true" },
  });

  function drift(c: ManagedCluster, workspaceId: string | undefined): FieldDiff[] {
    const fields: FieldDiff[] = [];
    const want = (field: string, from: unknown, to: unknown) => {
      if (from !== to) fields.push({ field, from, to });
    };
    want("identity.type", c.identity?.type, "SystemAssigned");
    want("oidcIssuerProfile.enabled", c.oidcIssuerProfile?.enabled ?? false, true);
    want(
      "securityProfile.workloadIdentity.enabled",
      c.securityProfile?.workloadIdentity?.enabled ?? false,
      true,
    );
    want("aadProfile.managed", c.aadProfile?.managed ?? false, true);
    want("aadProfile.enableAzureRBAC", c.aadProfile?.enableAzureRbac ?? false, true);
    want("disableLocalAccounts", c.disableLocalAccounts ?? false, true);
    const oms = c.addonProfiles?.["omsagent"];
    if (!oms?.enabled)
      fields.push({ field: "addon omsagent", from: oms ? "disabled" : "missing", to: "enabled" });
    else {
      const ws = oms.config?.["logAnalyticsWorkspaceResourceID"];
      if (workspaceId && !sameId(ws, workspaceId))
        fields.push({ field: "addon omsagent workspace", from: ws, to: workspaceId });
      want("addon omsagent useAADAuth", oms.config?.["useAADAuth"], "true");
    }
    const pool = c.agentPoolProfiles?.find((p) => p.mode === "System") ?? c.agentPoolProfiles?.[0];
    // Under the autoscaler the node count is the autoscaler's (and the operator's), not ours.
    if (pool && !pool.enableAutoScaling && pool.count !== aks.nodeCount)
      fields.push({ field: `agentPool ${pool.name}.count`, from: pool.count, to: aks.nodeCount });
    // A pinned version is an upgrade target; a cluster already newer (auto-upgrade) is kept.
    const current = c.currentKubernetesVersion ?? c.kubernetesVersion;
    if (aks.version && current && olderThan(current, aks.version))
      fields.push({ field: "kubernetesVersion", from: current, to: aks.version });
    fields.push(...tagDiffs(c.tags, deps));
    return fields;
  }

  function desired(
    existing: ManagedCluster | undefined,
    workspaceId: string | undefined,
    version: string | undefined,
    /** An intermediate upgrade target: AKS moves one minor version at a time. */
    hop?: string,
  ): ManagedCluster {
    const base: ManagedCluster = existing ?? {
      location: deps.answers.azure.location,
      dnsPrefix: name,
      ...(version ? { kubernetesVersion: version } : {}),
      sku: { name: "Base", tier: aks.tier },
      enableRbac: true,
      agentPoolProfiles: [
        {
          name: SYSTEM_POOL,
          mode: "System",
          count: aks.nodeCount,
          vmSize: aks.vmSize,
          osType: "Linux",
          type: "VirtualMachineScaleSets",
          enableAutoScaling: false,
        },
      ],
    };
    const pools = base.agentPoolProfiles?.map((p, i) => {
      const isSystem =
        p.mode === "System" || (i === 0 && !base.agentPoolProfiles?.some((q) => q.mode === "System"));
      return isSystem && !p.enableAutoScaling ? { ...p, count: aks.nodeCount } : p;
    });
    const current = existing?.currentKubernetesVersion ?? existing?.kubernetesVersion;
    const upgradeTo = hop ?? aks.version;
    const upgrade = existing && upgradeTo && current && olderThan(current, upgradeTo);
    return {
      ...base,
      ...(upgrade ? { kubernetesVersion: upgradeTo } : {}),
      tags: mergedTags(existing?.tags, deps),
      identity: { type: "SystemAssigned" },
      ...(pools ? { agentPoolProfiles: pools } : {}),
      oidcIssuerProfile: { ...base.oidcIssuerProfile, enabled: true },
      securityProfile: { ...base.securityProfile, workloadIdentity: { enabled: true } },
      aadProfile: { ...base.aadProfile, managed: true, enableAzureRbac: true },
      disableLocalAccounts: true,
      addonProfiles: { ...base.addonProfiles, omsagent: omsagent(workspaceId) },
    };
  }

  /**
   * AKS refuses to skip minor versions (1.31 -> 1.33 is two upgrades). Until the pinned version
   * is one minor away, upgrade to the newest patch of the next minor the cluster offers.
   */
  async function upgradeStepwise(
    observed: ClusterState | undefined,
    workspaceId: string | undefined,
    version: string | undefined,
    ctx: StepContext,
  ): Promise<ClusterState | undefined> {
    let current = observed;
    for (;;) {
      const from = current?.resource.currentKubernetesVersion ?? current?.resource.kubernetesVersion;
      if (!current || !aks.version || !from || minorGap(from, aks.version) <= 1) return current;
      const profile = await deps.azure.aks.managedClusters.getUpgradeProfile(rg, name, {
        abortSignal: ctx.signal,
      });
      const hop = nextMinorHop(
        from,
        (profile.controlPlaneProfile.upgrades ?? []).map((u) => u.kubernetesVersion ?? ""),
      );
      if (!hop) return current;
      ctx.progress(
        `upgrading Kubernetes ${from} -> ${hop} on the way to ${aks.version} (one minor version at a time)`,
      );
      const c = await deps.azure.aks.managedClusters.beginCreateOrUpdateAndWait(
        rg,
        name,
        desired(current.resource, workspaceId, version, hop),
        callOptions(deps, ctx),
      );
      current = toState(c);
    }
  }

  async function waitWhileRunning(observed: ClusterState, ctx: StepContext): Promise<ClusterState> {
    const start = Date.now();
    let current = observed;
    while (isRunning(current.provisioningState)) {
      ctx.progress(`provisioning: ${current.provisioningState} (started earlier), ${elapsed(start)}`);
      await sleep(deps.azure.lro.updateIntervalInMs, ctx.signal);
      current = toState(await deps.azure.aks.managedClusters.get(rg, name, { abortSignal: ctx.signal }));
    }
    return current;
  }

  return {
    id: ids.azure.cluster(stage),
    title: `AKS cluster ${name}`,
    group: "azure",
    // Only the workspace (which needs the resource group): the cluster starts as soon as it exists.
    dependsOn: [workspaceStepId],
    async detect(ctx) {
      if (!ctx.observed(ids.azure.resourceGroup(side))) return undefined;
      const c = await getOrUndefined(() =>
        deps.azure.aks.managedClusters.get(rg, name, { abortSignal: ctx.signal }),
      );
      return c ? toState(c) : undefined;
    },
    diff(observed, ctx): Change {
      const workspaceId = ctx.observed<WorkspaceState>(workspaceStepId)?.id;
      const version = peek<AksVersionsState>(ctx, aksVersionsPreflightId)?.chosen ?? aks.version;
      if (!observed)
        return {
          kind: "create",
          summary: `cluster ${name}${version ? ` (Kubernetes ${version})` : ""}, ${aks.nodeCount} x ${aks.vmSize}, Entra ID + Azure RBAC, workload identity, monitoring`,
        };
      const fields = drift(observed.resource, workspaceId);
      // An operation left running (e.g. by an interrupted run) or failed: apply waits or redoes it.
      if (!isSettled(observed.provisioningState))
        fields.unshift({ field: "provisioningState", from: observed.provisioningState, to: "Succeeded" });
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    // AKS deletes its node resource group (MC_...) and kubelet identity with the cluster.
    teardown: taggedTeardown(
      side,
      (o) => o.resource.tags,
      (_o, ctx) =>
        deleteQuietly(`deleting AKS cluster ${name}`, () =>
          deps.azure.aks.managedClusters.beginDeleteAndWait(rg, name, {
            abortSignal: ctx.signal,
            updateIntervalInMs: deps.azure.lro.updateIntervalInMs,
          }),
        ),
    ),
    async apply(_change, detected, ctx) {
      let observed = detected;
      const workspaceId = ctx.observed<WorkspaceState>(workspaceStepId)?.id;
      const version = peek<AksVersionsState>(ctx, aksVersionsPreflightId)?.chosen ?? aks.version;
      const doing = observed ? "updating" : "creating";
      try {
        if (observed && isRunning(observed.provisioningState)) {
          const settled = await waitWhileRunning(observed, ctx);
          if (isSettled(settled.provisioningState) && !drift(settled.resource, workspaceId).length)
            return settled;
          observed = settled;
        }
        observed = await upgradeStepwise(observed, workspaceId, version, ctx);
        const c = await withProgress(ctx, observed ? "Updating" : "Creating", () =>
          writeThenRead(
            deps,
            ctx,
            () =>
              deps.azure.aks.managedClusters.beginCreateOrUpdateAndWait(
                rg,
                name,
                desired(observed?.resource, workspaceId, version),
                callOptions(deps, ctx),
              ),
            () => deps.azure.aks.managedClusters.get(rg, name, { abortSignal: ctx.signal }),
          ),
        );
        return toState(c);
      } catch (err) {
        throw azureFailure(`${doing} AKS cluster ${name}`, err);
      }
    },
  };
}

/** Minor versions between two versions: 1.31.x -> 1.33 is 2. */
export function minorGap(from: string, to: string): number {
  const [fa = 0, fb = 0] = from.split(".").map(Number);
  const [ta = 0, tb = 0] = to.split(".").map(Number);
  return fa === ta ? tb - fb : Infinity;
}

/** The newest offered upgrade exactly one minor above `from`, if any. */
export function nextMinorHop(from: string, offered: readonly string[]): string | undefined {
  const candidates = offered.filter((v) => v && minorGap(from, v) === 1);
  return candidates.sort((a, b) => (olderThan(a, b) ? 1 : olderThan(b, a) ? -1 : 0))[0];
}

/** "1.32.4" older than "1.33" (compared on the parts the pinned version names). */
export function olderThan(current: string, pinned: string): boolean {
  const a = current.split(".").map(Number);
  const b = pinned.split(".").map(Number);
  for (let i = 0; i < b.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

const RUNNING = [
  "Creating",
  "Updating",
  "Upgrading",
  "Scaling",
  "Starting",
  "Stopping",
  "Deleting",
  "Migrating",
];
function isRunning(state: string | undefined): boolean {
  return state !== undefined && RUNNING.includes(state);
}
function isSettled(state: string | undefined): boolean {
  return state === undefined || state === "Succeeded";
}

/** Keeps "provisioning: Creating, 1m12s" up to date while a long operation runs. */
async function withProgress<T>(ctx: StepContext, state: string, run: () => Promise<T>): Promise<T> {
  const start = Date.now();
  ctx.progress(`provisioning: ${state}, 0s`);
  const timer = setInterval(() => ctx.progress(`provisioning: ${state}, ${elapsed(start)}`), 1000);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}
