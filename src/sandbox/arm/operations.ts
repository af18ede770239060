import { randomUUID } from "node:crypto";
import type { SandboxCore } from "../core.js";
import type { StoredOperation } from "../state.js";

/**
 * Long-running operations, settled lazily: each request first completes every operation whose
 * (scaled) end time has passed, so no timers survive a restart and a killed sandbox resumes
 * where it was.
 */
export function startOperation(
  core: SandboxCore,
  resourceKey: string,
  kind: "put" | "delete",
  realisticSeconds: number,
): StoredOperation {
  const now = core.clock.now();
  const op: StoredOperation = {
    id: randomUUID(),
    resourceKey,
    kind,
    startTime: now,
    endTime: now + core.clock.scaled(realisticSeconds),
  };
  if (kind === "put" && core.faults.roll("lro-fail")) {
    op.error = {
      code: "OperationFailed",
      message:
        "The operation failed due to an internal error in the resource provider (sandbox fault plan: lro-fail). Retry the operation.",
    };
  }
  core.state.operations[op.id] = op;
  return op;
}

/** Applies every finished operation to the resources. Returns true when state changed. */
export function settleOperations(core: SandboxCore): boolean {
  const now = core.clock.now();
  let changed = false;
  for (const op of Object.values(core.state.operations)) {
    if (op.done || op.endTime > now) continue;
    op.done = true;
    changed = true;
    if (op.kind === "delete") {
      removeWithManaged(core, op.resourceKey);
      continue;
    }
    const res = core.state.resources[op.resourceKey];
    if (!res) continue;
    const state = op.error ? "Failed" : "Succeeded";
    const p = (res.body["properties"] ??= {}) as Record<string, unknown>;
    p["provisioningState"] = state;
    const pools = p["agentPoolProfiles"];
    if (Array.isArray(pools))
      for (const pool of pools as Record<string, unknown>[]) pool["provisioningState"] = state;
  }
  // Keep finished operations for an hour of scaled time so late pollers still get an answer.
  for (const [id, op] of Object.entries(core.state.operations)) {
    if (op.done && now - op.endTime > Math.max(core.clock.scaled(3600), 60_000))
      delete core.state.operations[id];
  }
  return changed;
}

/**
 * Removes a resource (or resource group) and everything under it. A resource group managed by a
 * removed resource (`managedBy`: an AKS cluster's node resource group, with its kubelet
 * identity) goes too, as Azure deletes it with its cluster.
 */
function removeWithManaged(core: SandboxCore, rootKey: string): void {
  const pending = [rootKey];
  while (pending.length) {
    const root = pending.pop()!;
    const removed = new Set<string>();
    for (const [key, r] of Object.entries(core.state.resources)) {
      if (key !== root && !key.startsWith(`${root}/`)) continue;
      removed.add(r.id.toLowerCase());
      delete core.state.resources[key];
    }
    for (const [key, r] of Object.entries(core.state.resources)) {
      const managedBy = r.body["managedBy"];
      if (typeof managedBy === "string" && removed.has(managedBy.toLowerCase())) pending.push(key);
    }
  }
}

export function operationStatus(op: StoredOperation, now: number): Record<string, unknown> {
  const done = op.done || op.endTime <= now;
  const status = !done ? "InProgress" : op.error ? "Failed" : "Succeeded";
  return {
    name: op.id,
    status,
    startTime: new Date(op.startTime).toISOString(),
    ...(done ? { endTime: new Date(op.endTime).toISOString() } : {}),
    ...(done && op.error ? { error: op.error } : {}),
  };
}
