/**
 * Where each required answer can come from besides the answers file: one table, so the CLI's
 * flags, the environment variables read by resolve.ts and the "missing answer" errors agree.
 */

/** Flags that override single answers (`aks-bootstrap apply --subscription ...`). */
export interface AnswerFlags {
  readonly app?: string | undefined;
  readonly tenant?: string | undefined;
  readonly subscription?: string | undefined;
  readonly location?: string | undefined;
  readonly organization?: string | undefined;
  readonly project?: string | undefined;
  readonly repository?: string | undefined;
}

export interface AnswerSourceInfo {
  /** The answers-file field, dotted. */
  readonly field: string;
  /** The key in AnswerFlags. */
  readonly flagKey: keyof AnswerFlags;
  /** The command-line flag as typed. */
  readonly flag: string;
  /** Environment variables read in this order; the first non-empty one wins. */
  readonly env: readonly string[];
}

export const answerSources = {
  app: { field: "app", flagKey: "app", flag: "--app", env: ["AKS_BOOTSTRAP_APP"] },
  "azure.tenantId": {
    field: "azure.tenantId",
    flagKey: "tenant",
    flag: "--tenant",
    // The variable DefaultAzureCredential's EnvironmentCredential reads too.
    env: ["AZURE_TENANT_ID"],
  },
  "azure.subscriptionId": {
    field: "azure.subscriptionId",
    flagKey: "subscription",
    flag: "--subscription",
    env: ["AZURE_SUBSCRIPTION_ID"],
  },
  "azure.location": {
    field: "azure.location",
    flagKey: "location",
    flag: "--location",
    env: ["AKS_BOOTSTRAP_LOCATION"],
  },
  "devops.organizationUrl": {
    field: "devops.organizationUrl",
    flagKey: "organization",
    flag: "--organization",
    // AZURE_DEVOPS_EXT_DEFAULTS_ORGANIZATION is how the az devops extension's config
    // (`az devops configure --defaults organization=...`) is overridden from the environment:
    // knack's CLIConfig reads <prefix><SECTION>_<OPTION> with prefix AZURE_DEVOPS_EXT_.
    env: ["AZURE_DEVOPS_ORG_URL", "AZURE_DEVOPS_EXT_DEFAULTS_ORGANIZATION"],
  },
  "devops.project": {
    field: "devops.project",
    flagKey: "project",
    flag: "--project",
    env: ["AKS_BOOTSTRAP_PROJECT", "AZURE_DEVOPS_EXT_DEFAULTS_PROJECT"],
  },
  "devops.repository": {
    field: "devops.repository",
    flagKey: "repository",
    flag: "--repository",
    env: ["AKS_BOOTSTRAP_REPOSITORY"],
  },
} as const satisfies Record<string, AnswerSourceInfo>;

export type SourcedField = keyof typeof answerSources;

/**
 * "azure.subscriptionId is required: pass --subscription, set AZURE_SUBSCRIPTION_ID, or add it to
 * the answers file". Fields without a flag or variable only offer the answers file.
 */
export function missingAnswerMessage(field: string, hasFile = true): string {
  const where = hasFile ? "add it to the answers file" : "add it to an answers file (--answers FILE)";
  const info = (answerSources as Record<string, AnswerSourceInfo>)[field];
  if (!info) return `${field} is required: ${where}`;
  const env = info.env.length > 1 ? `${info.env.slice(0, -1).join(", ")} or ${info.env.at(-1)}` : info.env[0];
  return `${field} is required: pass ${info.flag}, set ${env}, or ${where}`;
}
