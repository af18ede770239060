import type { ManagedCluster } from "@azure/arm-containerservice";
import type { Vault } from "@azure/arm-keyvault";
import { existingKinds, type ArmId } from "../../src/answers/arm-id.js";
import { UserError } from "../../src/engine/errors.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { azureFailure } from "../azure/common.js";
import {
  existingId,
  existingKindOf,
  readExisting,
  type ExistingKey,
  type ExistingResourcesState,
} from "../azure/existing.js";
import { allows } from "./role-permission.js";

/** One thing an existing resource lacks, with the command that fixes it. */
interface Finding {
  readonly problem: string;
  readonly fix: string;
}

/**
 * The existing resources named in `azure.existing` exist in the answers' subscription and have
 * what the pipelines need: an AKS cluster with the OIDC issuer, workload identity, Entra ID and
 * Azure RBAC; a Key Vault with RBAC authorization; and on each that gets a role (all but
 * Application Insights), the operator may create role assignments. Anything missing stops the run before anything
 * is created, naming the resource, what it lacks and the `az` command that fixes it.
 */
export function existingResourcesPreflightStep(deps: StepDeps): Step<ExistingResourcesState> {
  const named = (Object.keys(existingKindOf) as ExistingKey[]).flatMap((key) => {
    const armId = existingId(deps, key);
    return armId ? [{ key, armId }] : [];
  });
  return {
    id: ids.preflight.existingResources,
    title: "Existing resources (azure.existing) are usable",
    group: "preflight",
    dependsOn: [ids.preflight.credential],
    async detect(ctx) {
      const resources: Partial<Record<ExistingKey, unknown>> = {};
      const findings: Finding[] = [];
      await Promise.all(
        named.map(async ({ key, armId }) => {
          const label = `${existingKinds[existingKindOf[key]].label} ${armId.id} (azure.existing.${key})`;
          if (armId.subscriptionId.toLowerCase() !== deps.target.subscriptionId.toLowerCase()) {
            findings.push({
              problem: `${label} is in subscription ${armId.subscriptionId}, not in ${deps.target.subscriptionId}, where aks-bootstrap works`,
              fix: `use a resource of subscription ${deps.target.subscriptionId}, or set azure.subscriptionId to ${armId.subscriptionId}`,
            });
            return;
          }
          let resource: unknown;
          try {
            resource = await readExisting(deps, key, armId, ctx.signal);
          } catch (err) {
            throw azureFailure(`reading the existing ${label}`, err);
          }
          if (resource === undefined) {
            findings.push({
              problem: `${label} was not found`,
              fix: `check the id with \`az resource show --ids ${armId.id}\`, or remove azure.existing.${key} to let aks-bootstrap create one`,
            });
            return;
          }
          resources[key] = resource;
          if (existingKindOf[key] === "aksCluster")
            findings.push(...clusterFindings(label, armId, resource as ManagedCluster));
          if (existingKindOf[key] === "keyVault")
            findings.push(...vaultFindings(label, armId, resource as Vault));
          // aks-bootstrap grants no role on Application Insights (the pipelines only read its
          // connection string into a variable group).
          if (existingKindOf[key] !== "appInsights" && !(await mayGrantRoles(deps, armId, ctx.signal, label)))
            findings.push({
              problem: `the signed-in account cannot create role assignments (Microsoft.Authorization/roleAssignments/write) on ${label}`,
              fix: `ask for Owner, User Access Administrator or Role Based Access Control Administrator on ${armId.id}`,
            });
        }),
      );
      if (findings.length)
        throw new UserError(
          `Checking the existing resources: ${findings.map((f) => f.problem).join("; ")}. Nothing was created.`,
          `${findings.map((f) => `To fix it: ${f.fix}.`).join(" ")} Then rerun.`,
        );
      return { resources };
    },
    diff() {
      return { kind: "noop" };
    },
    async apply() {},
  };
}

/**
 * What an existing cluster lacks of what the pipelines need (federated sign-in and Azure RBAC
 * for Kubernetes), each with the `az aks update` flag that turns it on.
 */
export function clusterGaps(c: ManagedCluster): { readonly feature: string; readonly flag: string }[] {
  const gaps: { feature: string; flag: string }[] = [];
  if (c.oidcIssuerProfile?.enabled !== true)
    gaps.push({ feature: "the OIDC issuer", flag: "--enable-oidc-issuer" });
  if (c.securityProfile?.workloadIdentity?.enabled !== true)
    gaps.push({ feature: "workload identity", flag: "--enable-workload-identity" });
  if (c.aadProfile?.managed !== true)
    gaps.push({ feature: "Microsoft Entra ID integration", flag: "--enable-aad" });
  if (c.aadProfile?.enableAzureRbac !== true)
    gaps.push({
      feature: "Azure RBAC for Kubernetes authorization (aadProfile.enableAzureRbac)",
      flag: "--enable-azure-rbac",
    });
  return gaps;
}

function clusterFindings(label: string, armId: ArmId, c: ManagedCluster): Finding[] {
  const gaps = clusterGaps(c);
  const missing = gaps.map((g) => g.feature);
  const flags = gaps.map((g) => g.flag);
  if (!missing.length) return [];
  return [
    {
      problem: `${label} does not have ${missing.join(", ")} enabled`,
      fix: `run \`az aks update --resource-group ${armId.resourceGroup} --name ${armId.name} ${flags.join(" ")}\``,
    },
  ];
}

/** Roles only grant secret reads in a vault that authorizes with Azure RBAC, not access policies. */
function vaultFindings(label: string, armId: ArmId, v: Vault): Finding[] {
  if (v.properties.enableRbacAuthorization === true) return [];
  return [
    {
      problem: `${label} uses access policies, not Azure RBAC authorization, so the pipelines' Key Vault role would not apply`,
      fix: `run \`az keyvault update --resource-group ${armId.resourceGroup} --name ${armId.name} --enable-rbac-authorization true\` (check who relies on its access policies first)`,
    },
  ];
}

async function mayGrantRoles(
  deps: StepDeps,
  armId: ArmId,
  signal: AbortSignal,
  label: string,
): Promise<boolean> {
  const perms = [];
  try {
    for await (const p of deps.azure.authorization.permissions.listForResource(
      armId.resourceGroup,
      armId.provider,
      "",
      armId.type,
      armId.name,
      { abortSignal: signal },
    ))
      perms.push(p);
  } catch (err) {
    throw azureFailure(`checking the operator's permission to grant roles on the existing ${label}`, err);
  }
  return allows(perms);
}
