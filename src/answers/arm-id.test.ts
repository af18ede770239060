import { describe, expect, it } from "vitest";
import { answersSchema } from "./schema.js";
import { isArmIdOf, parseArmId } from "./arm-id.js";
import { deriveNames } from "./names.js";

const sub = "0b1f6471-1bf0-4dda-aec3-111122223333";
const cluster = `/subscriptions/${sub}/resourceGroups/rg-platform/providers/Microsoft.ContainerService/managedClusters/aks-shared`;

describe("existing resource ids (azure.existing)", () => {
  it("parses an ARM id into its parts and compares provider and type as ARM does, ignoring case", () => {
    expect(parseArmId(cluster)).toMatchObject({
      subscriptionId: sub,
      resourceGroup: "rg-platform",
      provider: "Microsoft.ContainerService",
      type: "managedClusters",
      name: "aks-shared",
    });
    expect(isArmIdOf(cluster.toLowerCase(), "aksCluster")).toBe(true);
    expect(isArmIdOf(cluster, "registry")).toBe(false);
  });

  it("refuses what is not the id of one top-level resource", () => {
    for (const bad of [
      "aks-shared",
      `/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a`,
      `/subscriptions/${sub}/resourceGroups/rg-platform`,
      `${cluster}/agentPools/system`,
      ` ${cluster}`,
    ])
      expect(isArmIdOf(bad, "aksCluster"), bad).toBe(false);
  });

  it("names the field and the expected shape, and existing names replace the derived ones", () => {
    const base = {
      app: "shop",
      azure: { tenantId: sub, subscriptionId: sub, location: "westeurope" },
      devops: { organizationUrl: "https://dev.azure.com/contoso", project: "shop", repository: "shop" },
    };
    const bad = answersSchema.safeParse({
      ...base,
      azure: { ...base.azure, existing: { keyVault: cluster } },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ["azure", "existing", "keyVault"],
      message: expect.stringContaining(
        "resource id of a Key Vault: /subscriptions/<subscription-id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>",
      ),
    });
    const good = answersSchema.parse({
      ...base,
      azure: { ...base.azure, existing: { clusterProd: cluster } },
    });
    const names = deriveNames(good);
    expect(names.clusterProd).toBe("aks-shared");
    expect(names.clusterStaging).toBe("aks-shop-staging");
  });
});
