/**
 * Azure's naming rules for the resources aks-bootstrap names. One table, used by the schema (so
 * editors check name overrides through the JSON Schema) and by validate-names.ts (which checks the
 * names derived from `app`). No imports: schema.ts depends on this file.
 *
 * Sources: "Naming rules and restrictions for Azure resources" (Microsoft Learn) and the ARM specs'
 * name patterns. Each pattern includes the length limits so one regex is the whole rule.
 */

export type ResourceKind =
  "resourceGroup" | "registry" | "keyVault" | "aksCluster" | "workspace" | "appInsights" | "managedIdentity";

export interface NameRule {
  /** How the rule reads in an error message, e.g. "container registry". */
  readonly label: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** The complete rule, length included. */
  readonly pattern: RegExp;
  /** What a valid name looks like, for "must be ..." messages. */
  readonly description: string;
}

export const nameRules: Readonly<Record<ResourceKind, NameRule>> = {
  resourceGroup: {
    label: "resource group",
    minLength: 1,
    maxLength: 90,
    pattern: /^[-\w.()\p{L}]{0,89}[-\w()\p{L}]$/u,
    description: "1-90 characters: letters, digits, _ - . ( ), not ending with a period",
  },
  registry: {
    label: "container registry",
    minLength: 5,
    maxLength: 50,
    pattern: /^[a-zA-Z0-9]{5,50}$/,
    description: "5-50 letters and digits (no hyphens)",
  },
  keyVault: {
    label: "Key Vault",
    minLength: 3,
    maxLength: 24,
    pattern: /^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/,
    description:
      "3-24 characters: letters, digits and hyphens, starting with a letter, ending with a letter or digit, no two hyphens in a row",
  },
  aksCluster: {
    label: "AKS cluster",
    minLength: 1,
    maxLength: 63,
    pattern: /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])$/,
    description: "1-63 characters: letters, digits, _ and -, starting and ending with a letter or digit",
  },
  workspace: {
    label: "Log Analytics workspace",
    minLength: 4,
    maxLength: 63,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$/,
    description: "4-63 characters: letters, digits and hyphens, starting and ending with a letter or digit",
  },
  appInsights: {
    label: "Application Insights component",
    minLength: 1,
    maxLength: 255,
    // Azure rejects % & \ ? / and control characters, and a trailing period or space.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    pattern: /^[^%&\\?/\u0000-\u001f]{0,254}[^%&\\?/\u0000-\u001f. ]$/,
    description: "1-255 characters without % & \\ ? /, not ending with a period or space",
  },
  managedIdentity: {
    label: "managed identity",
    minLength: 3,
    maxLength: 128,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/,
    description: "3-128 characters: letters, digits, _ and -, starting with a letter or digit",
  },
};

/** The rule's message when `name` breaks it, else undefined. */
export function checkName(kind: ResourceKind, name: string): string | undefined {
  const rule = nameRules[kind];
  if (rule.pattern.test(name)) return undefined;
  if (name.length < rule.minLength || name.length > rule.maxLength) {
    return `${rule.label} name must be ${rule.minLength}-${rule.maxLength} characters (it has ${name.length}); ${rule.description}`;
  }
  return `${rule.label} name must be ${rule.description}`;
}
