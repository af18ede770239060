import { z } from "zod";
import { nameRules, type ResourceKind } from "./name-rules.js";
import { existingIdSchema } from "./arm-id.js";
import { stackSchema } from "./stack-schema.js";

/**
 * The answers file: everything the wizard asks, nothing secret. Secret VALUES never live here:
 * `keyVault.secrets` names each secret and the environment variable that carries it.
 */

const appName = z
  .string()
  .regex(
    /^(?!.*--)[a-z][a-z0-9-]{0,14}[a-z0-9]$/,
    "must be 2-16 characters: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, no two hyphens in a row",
  );

const guid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "must be a GUID");

const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, "must be an environment variable name (A-Z, 0-9, _), e.g. DB_PASSWORD");

const secretName = z
  .string()
  .regex(
    /^[a-zA-Z0-9-]{1,127}$/,
    "must be a Key Vault secret NAME (1-127 letters, digits, hyphens), not a value",
  );

/**
 * Who may approve: a user (e-mail / user principal name) or an Azure DevOps group by its account
 * name, `[Project]\Group` or `[Organization]\Group`, as the identity picker and the identities
 * API (searchFilter General) name groups.
 */
const approver = z
  .string()
  .regex(
    /^(?:[^\s@]+@[^\s@]+\.[^\s@]+|\[[^\]\\]+\]\\[^\\[\]]+)$/,
    "must be an e-mail address / user principal name, or a group as [Project]\\Group",
  );

/** A name override checked by the same Azure rule as the derived name it replaces. */
function nameOverride(kind: ResourceKind) {
  const rule = nameRules[kind];
  return z
    .string()
    .regex(rule.pattern, `must be a valid ${rule.label} name: ${rule.description}`)
    .optional()
    .describe(`Pinned ${rule.label} name (${rule.description}).`);
}

/** Names that default from `app` but may be pinned (e.g. to adopt existing resources). */
export const nameOverridesSchema = z
  .strictObject({
    resourceGroupNonprod: nameOverride("resourceGroup"),
    resourceGroupProd: nameOverride("resourceGroup"),
    registryNonprod: nameOverride("registry"),
    registryProd: nameOverride("registry"),
    keyVault: nameOverride("keyVault"),
    clusterStaging: nameOverride("aksCluster"),
    clusterProd: nameOverride("aksCluster"),
    workspaceNonprod: nameOverride("workspace"),
    workspaceProd: nameOverride("workspace"),
    appInsightsStaging: nameOverride("appInsights"),
    appInsightsProd: nameOverride("appInsights"),
  })
  .describe("Optional name overrides; each defaults to the CAF-style name derived from `app`.");

/** Existing resources to use instead of creating them (by resource id, in the answers' subscription). */
export const existingResourcesSchema = z
  .strictObject({
    clusterStaging: existingIdSchema("aksCluster"),
    clusterProd: existingIdSchema("aksCluster"),
    registryNonprod: existingIdSchema("registry"),
    registryProd: existingIdSchema("registry"),
    keyVault: existingIdSchema("keyVault"),
    workspaceNonprod: existingIdSchema("workspace"),
    workspaceProd: existingIdSchema("workspace"),
    appInsightsStaging: existingIdSchema("appInsights"),
    appInsightsProd: existingIdSchema("appInsights"),
  })
  .describe(
    "Existing resources to use instead of creating them, by resource id. aks-bootstrap checks them, grants its roles on them, and never changes or deletes them.",
  );

export const aksSchema = z.strictObject({
  version: z
    .string()
    .regex(/^\d+\.\d+(\.\d+)?$/, "must be a Kubernetes version like 1.33 or 1.33.2")
    .optional()
    .describe("Kubernetes version; default: the region's default version."),
  nodeCount: z.number().int().min(1).max(100).default(2).describe("Initial node count of the system pool."),
  vmSize: z
    .string()
    .regex(/^Standard_[A-Za-z0-9_]+$/, "must be an Azure VM size like Standard_D4ds_v5")
    .default("Standard_D4ds_v5"),
  tier: z.enum(["Free", "Standard", "Premium"]).default("Standard").describe("AKS pricing tier."),
});

export const azureSchema = z.strictObject({
  tenantId: guid.describe("Microsoft Entra tenant id."),
  subscriptionId: guid.describe("Subscription that holds every resource."),
  location: z
    .string()
    .regex(/^[a-z0-9]+$/, "must be an Azure region name like westeurope (lowercase, no spaces)")
    .describe("Azure region, e.g. westeurope."),
  names: nameOverridesSchema.default({}),
  existing: existingResourcesSchema.default({}),
  aks: aksSchema.default({ nodeCount: 2, vmSize: "Standard_D4ds_v5", tier: "Standard" }),
});

export const devopsSchema = z.strictObject({
  organizationUrl: z
    .string()
    .regex(
      /^https:\/\/[^\s/]+(\/[^\s/]+)?\/?$/,
      "must be the organization URL, e.g. https://dev.azure.com/contoso",
    )
    .describe("Azure DevOps organization URL."),
  project: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^\\/:*?"<>;#$*{},+=[\]|]+$/, 'must not contain \\ / : * ? " < > ; # $ { } , + = [ ] |')
    .refine(
      (s) => !s.startsWith("_") && !s.startsWith(".") && !s.endsWith("."),
      "must not start with _ or . nor end with .",
    )
    .describe("Azure DevOps project."),
  createProject: z.boolean().default(true).describe("Create the project when it does not exist."),
  repository: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^\\/:*?"<>;#$*{},+=[\]|]+$/, "has a character Azure Repos rejects"),
  createRepository: z.boolean().default(true),
  defaultBranch: z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/, "must be a branch name like main")
    .default("main"),
  minimumReviewers: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(1)
    .describe("Branch policy: minimum number of reviewers."),
  productionApprovers: z
    .array(approver)
    .default([])
    .describe(
      "Approvers of the production environment's Approval check: e-mails or groups ([Project]\\Group); empty = the signed-in user.",
    ),
});

export const pipelineSchema = z.strictObject({
  manualValidation: z
    .strictObject({
      enabled: z.boolean().default(false),
      approvers: z.array(approver).default([]),
      timeoutMinutes: z.number().int().min(1).max(43200).default(1440),
      instructions: z
        .string()
        .max(500)
        .default("Check the staging deployment, then resume to promote to production."),
    })
    .default({
      enabled: false,
      approvers: [],
      timeoutMinutes: 1440,
      instructions: "Check the staging deployment, then resume to promote to production.",
    }),
  // No defaults here: each command defaults to the stack's (see steps/repo/stack/toolchain.ts).
  commands: z
    .strictObject({
      install: z.string().min(1).optional(),
      lint: z.string().min(1).optional(),
      build: z.string().min(1).optional(),
      unitTest: z.string().min(1).optional(),
      integrationTest: z.string().min(1).optional(),
      acceptanceTest: z.string().min(1).optional(),
    })
    .default({})
    .describe(
      "Commands of the pipelines; each defaults to the stack's (npm ci, poetry install, dotnet test ...).",
    ),
  dockerfile: z.string().min(1).default("Dockerfile"),
  imageRepository: z
    .string()
    .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, "must be a lowercase repository name like myapp")
    .optional()
    .describe("Image repository in the registries; default: the app name."),
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes namespace (RFC 1123 label)")
    .optional()
    .describe("Kubernetes namespace; default: the app name."),
  containerPort: z.number().int().min(1).max(65535).default(8080),
  starterApp: z
    .boolean()
    .default(true)
    .describe(
      "Push a minimal Node.js starter app when the repository is empty (no app files, no Dockerfile).",
    ),
});

export const secretRefSchema = z.strictObject({
  name: secretName.describe("Key Vault secret name."),
  env: envVarName.describe(
    "Environment variable that receives the secret in the CI integration-test step, and that holds its value when aks-bootstrap runs non-interactively.",
  ),
});

export const answersSchema = z
  .strictObject({
    $schema: z.string().optional(),
    app: appName.describe("Application name; every resource name derives from it."),
    azure: azureSchema,
    devops: devopsSchema,
    stack: stackSchema.default({ language: "auto" }),
    pipeline: pipelineSchema.default(pipelineSchema.parse({})),
    keyVault: z
      .strictObject({
        secrets: z.array(secretRefSchema).max(50).default([]),
      })
      .default({ secrets: [] }),
  })
  .describe("aks-bootstrap answers file");

/** Answers as written in a file (defaults optional). */
export type AnswersInput = z.input<typeof answersSchema>;
/** Answers after validation, with every default filled in. */
export type Answers = z.output<typeof answersSchema>;
