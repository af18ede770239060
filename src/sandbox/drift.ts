import { createAzureClients } from "../clients/azure.js";
import type { Sandbox } from "./index.js";

/**
 * `sandbox drift`: out-of-band changes a careless colleague would make in the portal, applied
 * through the sandbox's own ARM API (so they show in the traffic log like any change), to show
 * that a rerun detects and repairs drift. Only resources tagged `managed-by: aks-bootstrap`
 * are touched. Returns what was changed, for the command to print.
 */
export interface DriftChange {
  readonly resourceId: string;
  readonly change: string;
}

const MANAGED = (tags: Record<string, string> | undefined) => tags?.["managed-by"] === "aks-bootstrap";

/** RG name from an ARM id. */
const rgOf = (id: string) => /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? "";

export async function driftSandbox(sandbox: Sandbox): Promise<DriftChange[]> {
  const az = createAzureClients(sandbox.target());
  const changes: DriftChange[] = [];

  for await (const rg of az.resources.resourceGroups.list()) {
    if (!MANAGED(rg.tags) || !rg.name) continue;
    await az.resources.resourceGroups.update(rg.name, { tags: { ...rg.tags, app: "edited-in-portal" } });
    changes.push({ resourceId: rg.id ?? rg.name, change: "tag app changed to 'edited-in-portal'" });
  }
  for await (const reg of az.registry.registries.list()) {
    if (!MANAGED(reg.tags) || !reg.id || !reg.name || reg.adminUserEnabled) continue;
    await az.registry.registries.beginUpdateAndWait(
      rgOf(reg.id),
      reg.name,
      { adminUserEnabled: true },
      az.lro,
    );
    changes.push({ resourceId: reg.id, change: "admin user enabled" });
  }
  for await (const ws of az.logs.workspaces.list()) {
    if (!MANAGED(ws.tags) || !ws.id || !ws.name) continue;
    await az.logs.workspaces.update(rgOf(ws.id), ws.name, { retentionInDays: 90 });
    changes.push({ resourceId: ws.id, change: "retention set to 90 days" });
  }
  // One role assignment on a managed registry goes missing (someone "cleaned up" access).
  for await (const reg of az.registry.registries.list()) {
    if (!MANAGED(reg.tags) || !reg.id) continue;
    for await (const ra of az.authorization.roleAssignments.listForScope(reg.id, { filter: "atScope()" })) {
      if (!ra.id || ra.scope?.toLowerCase() !== reg.id.toLowerCase()) continue;
      await az.authorization.roleAssignments.deleteById(ra.id);
      changes.push({ resourceId: ra.id, change: "role assignment deleted" });
      break;
    }
    break;
  }
  // One federated credential deleted from a managed identity.
  for await (const id of az.msi.userAssignedIdentities.listBySubscription()) {
    if (!MANAGED(id.tags) || !id.id || !id.name) continue;
    for await (const fic of az.msi.federatedIdentityCredentials.list(rgOf(id.id), id.name)) {
      if (!fic.name) continue;
      await az.msi.federatedIdentityCredentials.delete(rgOf(id.id), id.name, fic.name);
      changes.push({ resourceId: fic.id ?? fic.name, change: "federated credential deleted" });
      break;
    }
    if (changes.some((c) => c.change === "federated credential deleted")) break;
  }
  return changes;
}
