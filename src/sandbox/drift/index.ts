import type { Answers } from "../../answers/schema.js";
import type { Names } from "../../answers/names.js";
import type { Target } from "../../clients/target.js";
import { UserError } from "../../engine/errors.js";
import {
  deleteFederatedCredential,
  deleteRoleAssignment,
  deleteSecret,
  disableMonitoringAddon,
  enableRegistryAdmin,
} from "./azure.js";
import { driftContext, type DriftContext } from "./context.js";
import {
  deleteEnvironment,
  deleteServiceConnection,
  disableBranchPolicy,
  editVariableGroup,
  removeApprovalCheck,
  repointPipeline,
  revokePipelinePermission,
} from "./devops.js";
import { editGeneratedFile } from "./repo.js";

export { EDITED_FILE } from "./repo.js";

/**
 * Out-of-band changes `aks-bootstrap sandbox drift` can make, in the order they are made.
 * `edited-file` comes before `branch-policy`: the edit is pushed while the policies are as
 * aks-bootstrap left them (a blocking policy is switched off and back on around the push).
 */
export const driftKinds = [
  "role-assignment",
  "registry-admin",
  "monitoring-addon",
  "secret",
  "federated-credential",
  "service-connection",
  "approval-check",
  "edited-file",
  "branch-policy",
  "variable-group",
  "environment",
  "pipeline-path",
  "pipeline-permission",
] as const;

export type DriftKind = (typeof driftKinds)[number];

/** One line per kind, for help text and the unknown-kind error. */
export const driftKindDescriptions: Readonly<Record<DriftKind, string>> = {
  "role-assignment": "delete the CI identity's AcrPush role assignment on the non-prod registry",
  "registry-admin": "enable the admin user of the non-prod registry",
  "monitoring-addon": "disable the monitoring addon (omsagent) on the staging cluster",
  secret: "delete the first Key Vault secret named in the answers (soft delete)",
  "federated-credential": "delete the staging identity's federated credential",
  "service-connection": "delete the staging Azure Resource Manager service connection",
  "approval-check": "remove the Approval check of the production environment",
  "edited-file": "edit .azure-pipelines/ci.yml and push it to the default branch",
  "branch-policy": "disable the build validation policy on the default branch",
  "variable-group": "change clusterName in the staging variable group",
  environment: "delete the staging environment",
  "pipeline-path": "point the CI pipeline at another YAML file",
  "pipeline-permission": "revoke the CD pipeline's permission on the production environment",
};

const makers: Readonly<Record<DriftKind, (c: DriftContext) => Promise<string>>> = {
  "role-assignment": deleteRoleAssignment,
  "registry-admin": enableRegistryAdmin,
  "monitoring-addon": disableMonitoringAddon,
  secret: deleteSecret,
  "federated-credential": deleteFederatedCredential,
  "service-connection": deleteServiceConnection,
  "approval-check": removeApprovalCheck,
  "edited-file": editGeneratedFile,
  "branch-policy": disableBranchPolicy,
  "variable-group": editVariableGroup,
  environment: deleteEnvironment,
  "pipeline-path": repointPipeline,
  "pipeline-permission": revokePipelinePermission,
};

export function isDriftKind(value: string): value is DriftKind {
  return (driftKinds as readonly string[]).includes(value);
}

/**
 * Checks kinds given on the command line; none means all of them.
 * Throws a UserError naming the valid kinds for an unknown one.
 */
export function parseDriftKinds(values: readonly string[]): DriftKind[] {
  const unknown = values.filter((v) => !isDriftKind(v));
  if (unknown.length)
    throw new UserError(
      `Unknown drift kind${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}`,
      `Valid kinds: ${driftKinds.join(", ")} (none = all of them).`,
    );
  return values.length ? [...new Set(values as DriftKind[])] : [...driftKinds];
}

export interface DriftApplied {
  readonly kind: DriftKind;
  /** Names the object and the field, e.g. `registry crdemononprod1a2b: adminUserEnabled false -> true`. */
  readonly description: string;
}

/**
 * Makes each out-of-band change like a careless colleague would: through the public APIs of
 * the Target (Azure SDK clients, azure-devops-node-api and the Azure DevOps REST routes), so it
 * works against the sandbox and would against Azure. Kinds run one at a time, in driftKinds
 * order. An unknown kind is a UserError listing the valid ones (nothing is changed then).
 */
export async function applyDrift(opts: {
  target: Target;
  answers: Answers;
  names: Names;
  kinds: readonly DriftKind[];
}): Promise<DriftApplied[]> {
  const kinds = parseDriftKinds(opts.kinds);
  const c = driftContext(opts);
  const done: DriftApplied[] = [];
  for (const kind of driftKinds) {
    if (!kinds.includes(kind)) continue;
    try {
      done.push({ kind, description: await makers[kind](c) });
    } catch (err) {
      if (!done.length) throw err;
      // Say what was already changed: those drifts are real and a plan will show them.
      const why = err instanceof Error ? err.message : String(err);
      throw new UserError(
        `Making drift "${kind}" failed after these were made: ${done.map((d) => d.description).join("; ")}. ${why}`,
        err instanceof UserError && err.hint
          ? err.hint
          : "Run `aks-bootstrap plan` to see the drift made so far.",
        { cause: err },
      );
    }
  }
  return done;
}
