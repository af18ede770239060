import { ArmError } from "./errors.js";

/** Public Azure regions the sandbox offers (a subset; enough to catch a typo like "westeuorpe"). */
export const REGIONS: readonly string[] = [
  "westeurope",
  "northeurope",
  "swedencentral",
  "germanywestcentral",
  "francecentral",
  "uksouth",
  "switzerlandnorth",
  "norwayeast",
  "eastus",
  "eastus2",
  "centralus",
  "westus2",
  "westus3",
  "southcentralus",
  "canadacentral",
  "brazilsouth",
  "australiaeast",
  "japaneast",
  "koreacentral",
  "southeastasia",
  "eastasia",
  "centralindia",
  "southafricanorth",
  "uaenorth",
];

/** "West Europe" -> "westeurope", as ARM normalises display names. */
export function normalizeLocation(location: string): string {
  return location.toLowerCase().replace(/\s+/g, "");
}

export function checkLocation(location: string, resourceType: string): string {
  const loc = normalizeLocation(location);
  if (REGIONS.includes(loc) || loc === "global") return loc;
  if (resourceType === "Microsoft.Resources/resourceGroups") {
    throw new ArmError(
      400,
      "LocationNotAvailableForResourceGroup",
      `The provided location '${location}' is not available for resource group. List of available regions is '${REGIONS.join(",")}'.`,
    );
  }
  throw new ArmError(
    400,
    "LocationNotAvailableForResourceType",
    `The provided location '${location}' is not available for resource type '${resourceType}'. List of available regions for the resource type is '${REGIONS.join(",")}'.`,
  );
}
