import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAzurePython, serveSandbox, type ServedSandbox } from "./served-sandbox.js";

/**
 * The Azure SDK for Python and the Python azure-devops client, signed in with nothing but what
 * `eval "$(aks-bootstrap sandbox env)"` exports, list what a full `apply --sandbox` created.
 * Uses the system's Python packages (apt: python3-azure python3-azext-devops); PyPI is not used.
 */
const script = fileURLToPath(new URL("./python-sdk.py", import.meta.url));
const { python, reason } = findAzurePython();

interface Listing {
  resourceGroups: string[];
  resources: string[];
  clustersByFilter: string[];
  pagedByTwo: string[];
  clusters: string[];
  registries: string[];
  identities: string[];
  roleAssignments: number;
  vaults: string[];
  vaultsViaResources: string[];
  secrets: Record<string, string[]>;
  projects: string[];
}

describe.runIf(!python)("Azure SDK for Python against the sandbox", () => {
  it.skip(`skipped: ${reason}`, () => {});
});

describe.skipIf(!python)("Azure SDK for Python against a served sandbox after a full apply", () => {
  let sandbox: ServedSandbox;
  let listing: Listing;
  let stderr: string;
  const names = (type: string) => sandbox.names(type);

  beforeAll(async () => {
    // Given `apply --sandbox`, then `sandbox serve` and `eval "$(aks-bootstrap sandbox env)"`
    sandbox = await serveSandbox({ apply: true });
    // When a Python script uses the SDK clients with that environment only
    const r = spawnSync(python!, [script], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...sandbox.env },
      encoding: "utf8",
      timeout: 120_000,
    });
    stderr = r.stderr;
    expect(r.status, r.stderr).toBe(0);
    listing = JSON.parse(r.stdout) as Listing;
  }, 180_000);
  afterAll(() => sandbox?.stop());

  it("lists the resource groups and every managed resource through ResourceManagementClient", () => {
    expect(listing.resourceGroups).toEqual(names("Microsoft.Resources/resourceGroups"));
    expect(listing.resources.length).toBeGreaterThan(10);
    expect(listing.resources.map((id) => id.toLowerCase()).sort()).toEqual(sandbox.trackedIds());
    // $top=2 pages through nextLink and still yields every resource, once
    expect(listing.pagedByTwo).toEqual(listing.resources);
    expect(listing.clustersByFilter).toEqual(names("Microsoft.ContainerService/managedClusters"));
  });

  it("lists clusters, registries, identities, vaults and role assignments with each RP's client", () => {
    expect(listing.clusters).toEqual(names("Microsoft.ContainerService/managedClusters"));
    expect(listing.clusters).toHaveLength(2);
    expect(listing.registries).toEqual(names("Microsoft.ContainerRegistry/registries"));
    expect(listing.identities).toEqual(names("Microsoft.ManagedIdentity/userAssignedIdentities"));
    expect(listing.vaults).toEqual(names("Microsoft.KeyVault/vaults"));
    expect(listing.vaultsViaResources).toEqual(listing.vaults);
    expect(listing.roleAssignments).toBe(
      sandbox.resources().filter((r) => r.type === "Microsoft.Authorization/roleAssignments").length,
    );
  });

  it("lists the vault's secret names through azure-keyvault-secrets, and the project via azure-devops", () => {
    const [vault] = listing.vaults;
    expect(listing.secrets[vault!]?.length).toBeGreaterThan(0);
    expect(listing.secrets[vault!]).toEqual(sandbox.secretNames()[vault!.toLowerCase()]);
    expect(listing.projects).toEqual(sandbox.projects());
    expect(listing.projects.length).toBeGreaterThan(0);
    // The script's own errors or warnings carry no secret
    expect(stderr).not.toContain(sandbox.env["AZURE_CLIENT_SECRET"]!);
  });
});
