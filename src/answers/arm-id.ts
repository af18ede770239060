import { z } from "zod";

/** Kinds of existing Azure resources the answers may name instead of letting aks-bootstrap create them. */
export type ExistingKind = "aksCluster" | "registry" | "keyVault" | "workspace" | "appInsights";

interface KindInfo {
  /** What the operator calls it, e.g. "AKS cluster". */
  readonly label: string;
  /** "an AKS cluster": the label with its article, for messages. */
  readonly a: string;
  /** ARM provider namespace and resource type, as in a resource id. */
  readonly provider: string;
  readonly type: string;
}

export const existingKinds: Readonly<Record<ExistingKind, KindInfo>> = {
  aksCluster: {
    label: "AKS cluster",
    a: "an AKS cluster",
    provider: "Microsoft.ContainerService",
    type: "managedClusters",
  },
  registry: {
    label: "container registry",
    a: "a container registry",
    provider: "Microsoft.ContainerRegistry",
    type: "registries",
  },
  keyVault: { label: "Key Vault", a: "a Key Vault", provider: "Microsoft.KeyVault", type: "vaults" },
  workspace: {
    label: "Log Analytics workspace",
    a: "a Log Analytics workspace",
    provider: "Microsoft.OperationalInsights",
    type: "workspaces",
  },
  appInsights: {
    label: "Application Insights component",
    a: "an Application Insights component",
    provider: "Microsoft.Insights",
    type: "components",
  },
};

/** The parts of an ARM resource id `/subscriptions/S/resourceGroups/G/providers/P/T/N`. */
export interface ArmId {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly provider: string;
  readonly type: string;
  readonly name: string;
}

const ARM_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/([A-Za-z.]+)\/([A-Za-z]+)\/([-\w.]{1,260})$/i;

/** Parses a top-level ARM resource id; undefined when it is not one. Case is kept as written. */
export function parseArmId(id: string): ArmId | undefined {
  const m = ARM_ID.exec(id);
  if (!m) return undefined;
  const [, subscriptionId, resourceGroup, provider, type, name] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { id, subscriptionId, resourceGroup, provider, type, name };
}

/** Whether `id` is the resource id of a resource of `kind` (ARM compares ids case-insensitively). */
export function isArmIdOf(id: string, kind: ExistingKind): boolean {
  const parsed = parseArmId(id);
  const info = existingKinds[kind];
  return (
    parsed !== undefined &&
    parsed.provider.toLowerCase() === info.provider.toLowerCase() &&
    parsed.type.toLowerCase() === info.type.toLowerCase()
  );
}

/** The example id shown in messages, e.g. for an AKS cluster. */
export function armIdExample(kind: ExistingKind): string {
  const info = existingKinds[kind];
  return `/subscriptions/<subscription-id>/resourceGroups/<group>/providers/${info.provider}/${info.type}/<name>`;
}

/** An answer holding the resource id of an existing resource of `kind`. */
export function existingIdSchema(kind: ExistingKind) {
  const info = existingKinds[kind];
  return z
    .string()
    .refine((v) => isArmIdOf(v, kind), `must be the resource id of ${info.a}: ${armIdExample(kind)}`)
    .optional()
    .describe(
      `Resource id of ${info.a} that already exists, to use instead of creating one (aks-bootstrap grants roles on it and never changes or deletes it).`,
    );
}
