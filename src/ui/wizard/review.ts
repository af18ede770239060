import type { AnswersInput } from "../../answers/schema.js";
import type { Names } from "../../answers/names.js";
import { stackLabel } from "../../../steps/repo/stack/types.js";

/**
 * The review screen: every answer on one screen, secret values never shown (only whether a
 * value was given now or is already in the vault).
 */
export function reviewLines(
  answers: AnswersInput,
  names: Names,
  extra: {
    subscriptionName?: string;
    newSecrets: readonly string[];
    existingSecrets: readonly string[];
    /** Who approves production when the answers name nobody (Azure DevOps' name for the signed-in identity). */
    signedInApprover?: string;
  },
): string[] {
  const d = answers.devops;
  const mv = answers.pipeline?.manualValidation;
  const lines = [
    "Review",
    `  Azure       subscription ${extra.subscriptionName ?? answers.azure.subscriptionId}, region ${answers.azure.location}`,
    `              subscription id ${answers.azure.subscriptionId}`,
    `              tenant ${answers.azure.tenantId}`,
    `  App         ${answers.app}`,
    `  Names       ${names.resourceGroupNonprod}, ${names.resourceGroupProd}`,
    `              ${names.clusterStaging}, ${names.clusterProd}`,
    `              ${names.registryNonprod}, ${names.registryProd}, ${names.keyVault}`,
    `  DevOps      ${d.organizationUrl}`,
    `              project ${d.project}${d.createProject ? " (created if missing)" : ""}`,
    `              repository ${d.repository}${d.createRepository ? " (created if missing)" : ""}`,
    ...(answers.stack?.language && answers.stack.language !== "auto"
      ? [`  Stack       ${stackLabel(answers.stack.language, answers.stack.tool)} (chosen)`]
      : []),
    `  Approvals   manual validation ${mv?.enabled ? `on: ${(mv.approvers ?? []).join(", ") || "anyone who may run the pipeline"}` : "off"}`,
    `              production: ${(d.productionApprovers ?? []).join(", ") || `you, the signed-in user${extra.signedInApprover ? ` (${extra.signedInApprover})` : ""}`}`,
  ];
  const secrets = answers.keyVault?.secrets ?? [];
  if (secrets.length === 0) lines.push("  Secrets     none");
  secrets.forEach((s, i) => {
    const state = extra.existingSecrets.includes(s.name)
      ? "already in the vault"
      : extra.newSecrets.includes(s.name)
        ? "value given"
        : "no value";
    lines.push(`  ${i === 0 ? "Secrets   " : "          "}  ${s.name} -> $${s.env} (${state})`);
  });
  return lines;
}
