import { request } from "node:https";
import * as azdev from "azure-devops-node-api";
import type { Sandbox } from "../../src/sandbox/index.js";

export const DEVOPS_SCOPE = "499b84ac-1321-427f-aa17-267ca6975798/.default";

/** azure-devops-node-api, unchanged, with an Entra token for Azure DevOps and the sandbox CA. */
export async function bearerApi(sandbox: Sandbox): Promise<azdev.WebApi> {
  const token = await sandbox.target().credential.getToken(DEVOPS_SCOPE);
  if (!token) throw new Error("no token for Azure DevOps");
  return new azdev.WebApi(sandbox.organizationUrl, azdev.getBearerHandler(token.token), {
    cert: { caFile: sandbox.caFile },
  });
}

export function patApi(sandbox: Sandbox, pat = sandbox.pat): azdev.WebApi {
  return new azdev.WebApi(sandbox.organizationUrl, azdev.getPersonalAccessTokenHandler(pat), {
    cert: { caFile: sandbox.caFile },
  });
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** A plain HTTPS call (for routes azure-devops-node-api lacks), trusting only the sandbox CA. */
export function raw(
  sandbox: Sandbox,
  method: string,
  pathAndQuery: string,
  opts: { body?: unknown; authorization?: string | null; accept?: string } = {},
): Promise<RawResponse> {
  const url = new URL(`${sandbox.organizationUrl}/${pathAndQuery.replace(/^\//, "")}`);
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  const authorization =
    opts.authorization === undefined
      ? `Basic ${Buffer.from(`:${sandbox.pat}`).toString("base64")}`
      : opts.authorization;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: sandbox.caPem,
        headers: {
          accept: opts.accept ?? "application/json",
          ...(authorization ? { authorization } : {}),
          ...(payload
            ? { "content-type": "application/json", "content-length": String(payload.length) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Creates a Key Vault through ARM (Key Vault linked variable groups must name an existing vault). */
export async function createVault(sandbox: Sandbox, name: string): Promise<void> {
  const { createAzureClients } = await import("../../src/clients/azure.js");
  const az = createAzureClients(sandbox.target());
  await az.resources.resourceGroups.createOrUpdate("rg-devops-kv", { location: "westeurope" });
  await az.keyVault.vaults.beginCreateOrUpdateAndWait(
    "rg-devops-kv",
    name,
    {
      location: "westeurope",
      properties: {
        tenantId: sandbox.tenantId,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
      },
    },
    az.lro,
  );
}
