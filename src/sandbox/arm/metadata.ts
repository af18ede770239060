import type { SandboxCore } from "../core.js";
import type { SandboxRequest, SandboxResponse } from "../types.js";
import { ArmError } from "./errors.js";

/**
 * ARM's cloud metadata, `GET {arm}/metadata/endpoints?api-version=...`, unauthenticated as in
 * Azure. `az cloud register --endpoint-resource-manager URL` reads the 2015-01-01 shape;
 * ARM_CLOUD_METADATA_URL and SDK cloud loaders read the newer ones (2019-05-01: an array of
 * clouds; 2022-09-01: the cloud itself).
 *
 * The login endpoint named here is the login listener's `/adfs` alias. MSAL for Python (under
 * az and azure-identity) checks every Entra authority it does not know against
 * login.microsoftonline.com, which a sandbox on loopback cannot answer; ADFS authorities (as
 * Azure Stack Hub publishes in this same document) are exempt. The alias issues the same tokens.
 */
export const SANDBOX_CLOUD_NAME = "AzureSandbox";

const AUDIENCES = ["https://management.core.windows.net/", "https://management.azure.com/"];

const VERSIONS = ["2015-01-01", "2018-01-01", "2019-05-01", "2020-06-01", "2022-09-01"];

export function adfsLoginEndpoint(loginUrl: string): string {
  return `${loginUrl}/adfs`;
}

function cloud(core: SandboxCore) {
  return {
    portal: "https://portal.azure.com",
    authentication: {
      loginEndpoint: adfsLoginEndpoint(core.loginUrl),
      audiences: AUDIENCES,
      tenant: "adfs",
      identityProvider: "ADFS",
    },
    media: "https://rest.media.azure.net",
    graphAudience: "https://graph.windows.net/",
    graph: "https://graph.windows.net/",
    name: SANDBOX_CLOUD_NAME,
    suffixes: {
      acrLoginServer: "azurecr.io",
      sqlServerHostname: "database.windows.net",
      keyVaultDns: "vault.azure.net",
      storage: "core.windows.net",
    },
    batch: "https://batch.core.windows.net/",
    resourceManager: `${core.armUrl}/`,
    microsoftGraphResourceId: "https://graph.microsoft.com/",
    activeDirectoryDataLake: "https://datalake.azure.net/",
    sqlManagement: "https://management.core.windows.net:8443/",
    gallery: "https://gallery.azure.com/",
  };
}

/** Answers `/metadata/endpoints`; undefined for any other path. */
export function handleMetadata(core: SandboxCore, req: SandboxRequest): SandboxResponse | undefined {
  if (!/^\/metadata\/endpoints\/?$/i.test(req.path) || req.method !== "GET") return undefined;
  const version = req.query.get("api-version");
  if (!version) {
    throw new ArmError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  if (!VERSIONS.includes(version)) {
    throw new ArmError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are '${[...VERSIONS].reverse().join(",")}'.`,
    );
  }
  const c = cloud(core);
  if (version === "2015-01-01") {
    return {
      status: 200,
      body: {
        galleryEndpoint: c.gallery,
        graphEndpoint: c.graph,
        portalEndpoint: `${c.portal}/`,
        authentication: { loginEndpoint: c.authentication.loginEndpoint, audiences: AUDIENCES },
      },
    };
  }
  return { status: 200, body: version >= "2022-09-01" ? c : [c] };
}
