import type { SandboxCore } from "../core.js";
import { ArmError } from "./errors.js";
import { REGIONS } from "./locations.js";

/**
 * The api-versions ARM accepts per resource type, as the resource providers register them (what
 * `GET /providers/{namespace}` lists in resourceTypes[].apiVersions). Every client picks its own:
 * the JS SDKs in this repo send the newest (and the spec versions in ../shared/oracles), the
 * Python SDK and the Azure CLI send older ones (Python's azure-mgmt-containerregistry 2021-09-01,
 * azure-mgmt-msi 2018-11-30, az's resource profile 2021-04-01, ...). A version not listed is
 * refused as ARM refuses it: Microsoft.Resources with InvalidApiVersionParameter, a resource
 * provider's type with NoRegisteredProviderFound.
 */
const RESOURCES = [
  "2014-04",
  "2014-02-26",
  "2013-03-01",
  "2014-01-01",
  "2014-04-01",
  "2014-04-01-preview",
  "2015-01-01",
  "2015-11-01",
  "2016-02-01",
  "2016-06-01",
  "2016-07-01",
  "2016-09-01",
  "2017-03-01",
  "2017-05-01",
  "2017-05-10",
  "2017-06-01",
  "2017-08-01",
  "2017-12-01",
  "2018-01-01",
  "2018-02-01",
  "2018-05-01",
  "2018-06-01",
  "2018-07-01",
  "2018-08-01",
  "2018-09-01",
  "2018-11-01",
  "2019-03-01",
  "2019-05-01",
  "2019-05-10",
  "2019-06-01",
  "2019-07-01",
  "2019-08-01",
  "2019-09-01",
  "2019-10-01",
  "2019-11-01",
  "2020-01-01",
  "2020-05-01",
  "2020-06-01",
  "2020-07-01",
  "2020-08-01",
  "2020-09-01",
  "2020-10-01",
  "2021-01-01",
  "2021-04-01",
  "2022-01-01",
  "2022-03-01-preview",
  "2022-05-01",
  "2022-06-01",
  "2022-09-01",
  "2022-11-01-preview",
  "2022-12-01",
  "2023-03-01-preview",
  "2023-07-01",
  "2023-07-01-preview",
  "2024-03-01",
  "2024-06-01-preview",
  "2024-07-01",
  "2024-08-01",
  "2024-11-01",
  "2025-01-01",
  "2025-03-01",
  "2025-04-01",
];

const AKS = [
  "2017-08-31",
  "2018-03-31",
  "2019-02-01",
  "2019-04-01",
  "2019-06-01",
  "2019-08-01",
  "2019-10-01",
  "2019-11-01",
  "2020-01-01",
  "2020-02-01",
  "2020-03-01",
  "2020-04-01",
  "2020-06-01",
  "2020-07-01",
  "2020-09-01",
  "2020-11-01",
  "2020-12-01",
  "2021-02-01",
  "2021-03-01",
  "2021-05-01",
  "2021-07-01",
  "2021-08-01",
  "2021-09-01",
  "2021-10-01",
  "2022-01-01",
  "2022-02-01",
  "2022-03-01",
  "2022-04-01",
  "2022-06-01",
  "2022-07-01",
  "2022-08-01",
  "2022-09-01",
  "2022-11-01",
  "2023-01-01",
  "2023-02-01",
  "2023-03-01",
  "2023-04-01",
  "2023-05-01",
  "2023-06-01",
  "2023-07-01",
  "2023-08-01",
  "2023-09-01",
  "2023-10-01",
  "2023-11-01",
  "2024-01-01",
  "2024-02-01",
  "2024-05-01",
  "2024-06-01",
  "2024-07-01",
  "2024-08-01",
  "2024-09-01",
  "2024-10-01",
  "2025-01-01",
  "2025-02-01",
  "2025-03-01",
  "2025-04-01",
  "2025-05-01",
  "2025-06-01",
  "2025-07-01",
  "2025-08-01",
  "2025-09-01",
  "2025-10-01",
  "2026-01-01",
  "2026-02-01",
  "2026-04-01",
  "2026-06-01",
];

const ACR = [
  "2016-06-27-preview",
  "2017-03-01",
  "2017-10-01",
  "2019-05-01",
  "2019-12-01-preview",
  "2020-11-01-preview",
  "2021-06-01-preview",
  "2021-08-01-preview",
  "2021-09-01",
  "2021-12-01-preview",
  "2022-02-01-preview",
  "2022-12-01",
  "2023-01-01-preview",
  "2023-06-01-preview",
  "2023-07-01",
  "2023-08-01-preview",
  "2023-11-01-preview",
  "2024-11-01-preview",
  "2025-04-01",
  "2025-11-01",
];

const KEY_VAULT = [
  "2015-06-01",
  "2016-10-01",
  "2018-02-14",
  "2019-09-01",
  "2021-04-01-preview",
  "2021-06-01-preview",
  "2021-10-01",
  "2021-11-01-preview",
  "2022-02-01-preview",
  "2022-07-01",
  "2022-11-01",
  "2023-02-01",
  "2023-07-01",
  "2024-04-01-preview",
  "2024-11-01",
  "2024-12-01-preview",
  "2025-05-01",
  "2026-02-01",
];

const WORKSPACES = [
  "2015-03-20",
  "2015-11-01-preview",
  "2017-03-01-preview",
  "2017-03-03-preview",
  "2017-04-26-preview",
  "2020-03-01-preview",
  "2020-08-01",
  "2020-10-01",
  "2021-06-01",
  "2021-12-01-preview",
  "2022-10-01",
  "2023-09-01",
  "2025-02-01",
  "2025-07-01",
];

const COMPONENTS = [
  "2014-04-01",
  "2014-08-01",
  "2014-12-01-preview",
  "2015-05-01",
  "2018-05-01-preview",
  "2020-02-02",
  "2020-02-02-preview",
];

const DCR = [
  "2019-11-01-preview",
  "2021-04-01",
  "2021-09-01-preview",
  "2022-06-01",
  "2023-03-11",
  "2024-03-11",
];

const MSI = [
  "2015-08-31-preview",
  "2018-11-30",
  "2021-09-30-preview",
  "2022-01-31-preview",
  "2023-01-31",
  "2023-07-31-preview",
  "2024-11-30",
  "2025-01-31-preview",
];

const AUTHORIZATION = [
  "2014-04-01-preview",
  "2014-07-01-preview",
  "2014-10-01-preview",
  "2015-05-01-preview",
  "2015-06-01",
  "2015-07-01",
  "2016-07-01",
  "2017-05-01",
  "2017-09-01",
  "2017-10-01-preview",
  "2018-01-01-preview",
  "2018-07-01",
  "2018-09-01-preview",
  "2018-12-01-preview",
  "2019-04-01-preview",
  "2020-03-01-preview",
  "2020-04-01-preview",
  "2020-08-01-preview",
  "2020-10-01-preview",
  "2021-04-01-preview",
  "2022-01-01-preview",
  "2022-04-01",
  "2022-05-01-preview",
];

/** Lower-case "namespace/type" (or "microsoft.resources") -> accepted api-versions. */
export const API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  "microsoft.resources": RESOURCES,
  "microsoft.containerservice/managedclusters": AKS,
  "microsoft.containerregistry/registries": ACR,
  "microsoft.keyvault/vaults": KEY_VAULT,
  "microsoft.operationalinsights/workspaces": WORKSPACES,
  "microsoft.insights/components": COMPONENTS,
  "microsoft.insights/datacollectionrules": DCR,
  "microsoft.insights/datacollectionruleassociations": DCR,
  "microsoft.managedidentity/userassignedidentities": MSI,
  "microsoft.authorization/roleassignments": AUTHORIZATION,
  "microsoft.authorization/roledefinitions": AUTHORIZATION,
  "microsoft.authorization/permissions": AUTHORIZATION,
};

/**
 * The api-versions for a type; a namespace-level route (operations, locations,
 * checkNameAvailability, deletedVaults) takes those of the namespace's first listed type.
 */
export function apiVersionsFor(namespace: string, type: string | undefined): readonly string[] | undefined {
  const ns = namespace.toLowerCase();
  if (ns === "microsoft.resources") return RESOURCES;
  const exact = type ? API_VERSIONS[`${ns}/${type.toLowerCase()}`] : undefined;
  if (exact) return exact;
  const first = Object.keys(API_VERSIONS).find((k) => k.startsWith(`${ns}/`));
  return first ? API_VERSIONS[first] : undefined;
}

const WELL_FORMED = /^\d{4}-\d{2}(-\d{2})?(-[a-z]+)?$/i;

/**
 * Refuses an api-version the addressed type does not offer, with ARM's own codes and messages.
 * namespace "Microsoft.Resources" stands for subscriptions, resource groups, generic resources
 * and providers; `type` is the provider type (e.g. "managedClusters") otherwise.
 */
export function checkApiVersion(
  core: SandboxCore,
  version: string,
  namespace: string,
  type: string | undefined,
  location?: string,
): void {
  const accepted = apiVersionsFor(namespace, type);
  if (!accepted || accepted.some((v) => v.toLowerCase() === version.toLowerCase())) return;
  const newestFirst = [...accepted].sort().reverse();
  if (namespace.toLowerCase() === "microsoft.resources" || !WELL_FORMED.test(version)) {
    throw new ArmError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are '${newestFirst.join(",")}'.`,
    );
  }
  const typeName = type ?? namespace;
  throw new ArmError(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for location '${(location ?? core.state.location).toLowerCase()}' and API version '${version}' for type '${typeName}'. The supported api-versions are '${[...accepted].join(", ")}'. The supported locations are '${REGIONS.join(", ")}'.`,
  );
}
