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

const DISPLAY: Readonly<Record<string, string>> = {
  westeurope: "West Europe",
  northeurope: "North Europe",
  swedencentral: "Sweden Central",
  germanywestcentral: "Germany West Central",
  francecentral: "France Central",
  uksouth: "UK South",
  switzerlandnorth: "Switzerland North",
  norwayeast: "Norway East",
  eastus: "East US",
  eastus2: "East US 2",
  centralus: "Central US",
  westus2: "West US 2",
  westus3: "West US 3",
  southcentralus: "South Central US",
  canadacentral: "Canada Central",
  brazilsouth: "Brazil South",
  australiaeast: "Australia East",
  japaneast: "Japan East",
  koreacentral: "Korea Central",
  southeastasia: "Southeast Asia",
  eastasia: "East Asia",
  centralindia: "Central India",
  southafricanorth: "South Africa North",
  uaenorth: "UAE North",
};

/** "westeurope" -> "West Europe": provider resource types list regions by display name. */
export function displayLocation(location: string): string {
  return DISPLAY[location] ?? location;
}

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
