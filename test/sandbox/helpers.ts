import { existsSync, readFileSync } from "node:fs";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";
import type { TrafficEntry } from "../../src/sandbox/traffic-log.js";

/** Starts a fast sandbox for one test file; the caller closes it. */
export function fastSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ speed: 2000, ...opts });
}

export function traffic(sandbox: Sandbox): TrafficEntry[] {
  if (!existsSync(sandbox.trafficLogPath)) return [];
  return readFileSync(sandbox.trafficLogPath, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TrafficEntry);
}

/** The error an SDK call rejects with (fails the test if it resolves). */
export async function rejection(
  p: Promise<unknown>,
): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { statusCode?: number; code?: string; message: string };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** A raw ARM call with a valid token: for requests the SDK would refuse to build. */
export async function rawRequest(
  sandbox: Sandbox,
  method: string,
  url: string,
  body?: unknown,
  scope = "https://management.azure.com/.default",
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }> {
  const { request } = await import("node:https");
  const token = await sandbox.target().credential.getToken(scope);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: sandbox.caPem,
        headers: {
          authorization: `Bearer ${token?.token ?? ""}`,
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
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* keep text */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Retries a probe until it yields a value or the deadline passes (no fixed sleeps). */
export async function eventually<T>(probe: () => Promise<T | undefined>, deadlineMs = 5000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("condition not met before the deadline");
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Gives the sandbox's caller Key Vault Secrets Officer on a vault (as the product does for the
 * operator) and waits until the role has propagated to the data plane.
 */
export async function grantSecretsOfficer(
  sandbox: Sandbox,
  vaultId: string,
  vaultUri: string,
): Promise<void> {
  const { createAzureClients } = await import("../../src/clients/azure.js");
  const az = createAzureClients(sandbox.target());
  await az.authorization.roleAssignments.create(vaultId, "5e0b7a3c-9d1f-4c2b-8a6e-0f1d2c3b4a59", {
    roleDefinitionId: `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7`,
    principalId: sandbox.callerObjectId,
    principalType: "ServicePrincipal",
  });
  const secrets = az.secrets(vaultUri);
  await eventually(async () => {
    try {
      for await (const _ of secrets.listPropertiesOfSecrets()) void _;
      return true;
    } catch {
      return undefined;
    }
  });
}
