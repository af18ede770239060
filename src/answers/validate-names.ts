import { checkName, type ResourceKind } from "./name-rules.js";
import { deriveNames, type Names } from "./names.js";
import type { Answers } from "./schema.js";
import type { FieldPath } from "./load.js";
import { quoteIfSafe } from "./secret-guard.js";

/** A derived or pinned resource name that Azure would reject. */
export interface NameProblem {
  /** Which name, e.g. "keyVault". */
  readonly name: keyof Names;
  /** The answer that produced it: ["app"] for a derived name, ["azure", "names", X] for an override. */
  readonly field: FieldPath;
  /** What is wrong, naming the resource and the rule; never quotes a secret-looking value. */
  readonly message: string;
}

/** The Azure naming rule each Azure-side derived name must follow. */
const kindOf: Partial<Record<keyof Names, ResourceKind>> = {
  resourceGroupNonprod: "resourceGroup",
  resourceGroupProd: "resourceGroup",
  workspaceNonprod: "workspace",
  workspaceProd: "workspace",
  appInsightsStaging: "appInsights",
  appInsightsProd: "appInsights",
  registryNonprod: "registry",
  registryProd: "registry",
  keyVault: "keyVault",
  clusterStaging: "aksCluster",
  clusterProd: "aksCluster",
  identityCi: "managedIdentity",
  identityStaging: "managedIdentity",
  identityProd: "managedIdentity",
};

/** Names with an override in `azure.names`; the others always derive from `app`. */
const overridable = new Set<string>([
  "resourceGroupNonprod",
  "resourceGroupProd",
  "registryNonprod",
  "registryProd",
  "keyVault",
  "clusterStaging",
  "clusterProd",
  "workspaceNonprod",
  "workspaceProd",
  "appInsightsStaging",
  "appInsightsProd",
]);

/**
 * Checks every Azure resource name the answers lead to, derived or pinned, against Azure's rules.
 * An empty list means Azure will accept all of them (uniqueness aside).
 */
export function nameProblems(answers: Answers): NameProblem[] {
  const names = deriveNames(answers);
  const pinned = answers.azure.names as Readonly<Record<string, string | undefined>>;
  const existing = answers.azure.existing as Readonly<Record<string, string | undefined>>;
  const problems: NameProblem[] = [];
  for (const [name, kind] of Object.entries(kindOf) as [keyof Names, ResourceKind][]) {
    // An existing resource's name is Azure's already, whatever our rules for new ones say.
    if (existing[name] !== undefined) continue;
    const value = names[name];
    const message = checkName(kind, value);
    if (!message) continue;
    const isPinned = overridable.has(name) && pinned[name] !== undefined;
    problems.push({
      name,
      field: isPinned ? ["azure", "names", name] : ["app"],
      message: isPinned
        ? `${quoteIfSafe(value, "the pinned name")}: ${message}`
        : `derived ${name} name \`${value}\` is not valid: ${message}; choose a shorter or simpler app name, or pin azure.names.${name}`,
    });
  }
  return problems;
}
