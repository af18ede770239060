"""Lists what a sandbox holds through the Azure SDK for Python and the Python azure-devops client.

Run with the environment `aks-bootstrap sandbox env` prints. Prints one JSON object on stdout;
any SDK error ends the script with a non-zero exit and the error on stderr.
"""
import json
import os
import sys

from azure.identity import EnvironmentCredential
from azure.keyvault.secrets import SecretClient
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.containerregistry import ContainerRegistryManagementClient
from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.msi import ManagedServiceIdentityClient
from azure.mgmt.resource import ResourceManagementClient
from azext_devops.devops_sdk.v5_1.core.core_client import CoreClient
from msrest.authentication import BasicAuthentication

ARM = os.environ["AZURE_RESOURCE_MANAGER_ENDPOINT"]
SUB = os.environ["AZURE_SUBSCRIPTION_ID"]
# The sandbox's authority is not one MSAL knows; without this it asks login.microsoftonline.com
# whether the authority is valid (newer azure-identity calls it disable_instance_discovery).
credential = EnvironmentCredential(instance_discovery=False)
arm = dict(credential=credential, subscription_id=SUB, base_url=ARM,
           credential_scopes=["https://management.azure.com/.default"])

resources = ResourceManagementClient(**arm)
out = {
    "resourceGroups": sorted(g.name for g in resources.resource_groups.list()),
    "resources": sorted(r.id for r in resources.resources.list()),
    "clustersByFilter": sorted(r.name for r in resources.resources.list(
        filter="resourceType eq 'Microsoft.ContainerService/managedClusters'")),
    "pagedByTwo": sorted(r.id for r in resources.resources.list(top=2)),
    "clusters": sorted(c.name for c in ContainerServiceClient(**arm).managed_clusters.list()),
    "registries": sorted(r.name for r in ContainerRegistryManagementClient(**arm).registries.list()),
    "identities": sorted(i.name for i in
                         ManagedServiceIdentityClient(**arm).user_assigned_identities.list_by_subscription()),
    "roleAssignments": len(list(
        AuthorizationManagementClient(**arm).role_assignments.list_for_subscription())),
}
vaults = KeyVaultManagementClient(**arm)
out["vaults"] = sorted(v.name for v in vaults.vaults.list_by_subscription())
# vaults.list() goes through the generic resources list with a resourceType filter.
out["vaultsViaResources"] = sorted(v.name for v in vaults.vaults.list())
out["secrets"] = {}
for v in vaults.vaults.list_by_subscription():
    # Key Vault's challenge names vault.azure.net; the sandbox vault is on 127.0.0.1.
    client = SecretClient(v.properties.vault_uri, credential, verify_challenge_resource=False)
    out["secrets"][v.name] = sorted(s.name for s in client.list_properties_of_secrets())

# az devops vendors the azure-devops client under azext_devops.devops_sdk (its Connection
# resolves clients by their azure.devops.* names, so the client class is built directly).
core = CoreClient(base_url=os.environ["AZURE_DEVOPS_ORG_URL"],
                  creds=BasicAuthentication("", os.environ["AZURE_DEVOPS_EXT_PAT"]))
out["projects"] = sorted(p.name for p in core.get_projects().value)
json.dump(out, sys.stdout)
sys.stdout.write("\n")
