/**
 * Built-in role definitions the product assigns, with their real ids (checked against
 * Microsoft's built-in roles list). Permissions are abbreviated to what matters for checks.
 */
export interface RoleDefinition {
  readonly id: string;
  readonly roleName: string;
  readonly description: string;
  readonly actions: readonly string[];
  readonly notActions?: readonly string[];
  readonly dataActions?: readonly string[];
}

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  {
    id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    roleName: "Owner",
    description:
      "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
    actions: ["*"],
  },
  {
    id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    roleName: "Contributor",
    description:
      "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.",
    actions: ["*"],
    notActions: [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
    ],
  },
  {
    id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    roleName: "Reader",
    description: "View all resources, but does not allow you to make any changes.",
    actions: ["*/read"],
  },
  {
    id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    roleName: "User Access Administrator",
    description: "Lets you manage user access to Azure resources.",
    actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
  },
  {
    id: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    roleName: "Role Based Access Control Administrator",
    description: "Manage access to Azure resources by assigning roles using Azure RBAC.",
    actions: [
      "Microsoft.Authorization/roleAssignments/write",
      "Microsoft.Authorization/roleAssignments/delete",
      "*/read",
    ],
  },
  {
    id: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    roleName: "AcrPull",
    description: "acr pull",
    actions: ["Microsoft.ContainerRegistry/registries/pull/read"],
  },
  {
    id: "8311e382-0749-4cb8-b61a-304f252e45ec",
    roleName: "AcrPush",
    description: "acr push",
    actions: [
      "Microsoft.ContainerRegistry/registries/pull/read",
      "Microsoft.ContainerRegistry/registries/push/write",
    ],
  },
  {
    id: "577a9874-89fd-4f24-9dbd-b5034d0ad23a",
    roleName: "Container Registry Data Importer and Data Reader",
    description:
      "Allows import of images to a registry, and read access to the registry's repositories, tags and artifacts.",
    actions: [
      "Microsoft.ContainerRegistry/registries/importImage/action",
      "Microsoft.ContainerRegistry/registries/read",
    ],
    dataActions: [
      "Microsoft.ContainerRegistry/registries/repositories/content/read",
      "Microsoft.ContainerRegistry/registries/repositories/metadata/read",
    ],
  },
  {
    id: "4633458b-17de-408a-b874-0445c86b69e6",
    roleName: "Key Vault Secrets User",
    description:
      "Read secret contents. Only works for key vaults that use the 'Azure role-based access control' permission model.",
    actions: [],
    dataActions: [
      "Microsoft.KeyVault/vaults/secrets/getSecret/action",
      "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
    ],
  },
  {
    id: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    roleName: "Key Vault Secrets Officer",
    description: "Perform any action on the secrets of a key vault, except manage permissions.",
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.KeyVault/vaults/*/read",
      "Microsoft.KeyVault/checkNameAvailability/read",
    ],
    dataActions: ["Microsoft.KeyVault/vaults/secrets/*"],
  },
  {
    id: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
    roleName: "Azure Kubernetes Service Cluster User Role",
    description: "List cluster user credential action.",
    actions: [
      "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action",
      "Microsoft.ContainerService/managedClusters/read",
    ],
  },
  {
    id: "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
    roleName: "Azure Kubernetes Service RBAC Writer",
    description: "Allows read/write access to most objects in a namespace.",
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.Resources/subscriptions/operationresults/read",
      "Microsoft.Resources/subscriptions/read",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
    ],
    dataActions: [
      "Microsoft.ContainerService/managedClusters/apps/*",
      "Microsoft.ContainerService/managedClusters/configmaps/*",
      "Microsoft.ContainerService/managedClusters/pods/*",
      "Microsoft.ContainerService/managedClusters/services/*",
      "Microsoft.ContainerService/managedClusters/secrets/*",
    ],
  },
  {
    id: "3913510d-42f4-4e42-8a64-420c390055eb",
    roleName: "Monitoring Metrics Publisher",
    description: "Enables publishing metrics against Azure resources.",
    actions: [
      "Microsoft.Insights/Register/Action",
      "Microsoft.Support/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
    ],
    dataActions: ["Microsoft.Insights/Metrics/Write", "Microsoft.Insights/Telemetry/Write"],
  },
];

export const OWNER_ROLE_ID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

export function findRole(guid: string): RoleDefinition | undefined {
  return BUILT_IN_ROLES.find((r) => r.id === guid.toLowerCase());
}

export function roleDefinitionBody(role: RoleDefinition, subscriptionId: string | undefined) {
  const prefix = subscriptionId ? `/subscriptions/${subscriptionId}` : "";
  return {
    id: `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
    name: role.id,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: role.roleName,
      type: "BuiltInRole",
      description: role.description,
      assignableScopes: ["/"],
      permissions: [
        {
          actions: role.actions,
          notActions: role.notActions ?? [],
          dataActions: role.dataActions ?? [],
          notDataActions: [],
        },
      ],
    },
  };
}
