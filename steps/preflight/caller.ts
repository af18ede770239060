import type { AccessToken } from "@azure/core-auth";
import { UserError } from "../../src/engine/errors.js";
import { ARM_SCOPE } from "../../src/clients/azure.js";
import type { StepDeps } from "../deps.js";

/** Who runs aks-bootstrap, from the claims of their ARM token. */
export interface Caller {
  /** Entra object id (`oid`): the principal that gets the operator's role assignments. */
  readonly objectId: string;
  readonly tenantId: string;
  /** User when the token has a user claim, ServicePrincipal for app-only tokens. */
  readonly principalType: "User" | "ServicePrincipal";
  readonly displayName?: string;
}

const callers = new WeakMap<StepDeps, Promise<Caller>>();

/** Fetches an ARM token once per deps and reads its claims (never logs the token). */
export function caller(deps: StepDeps, signal?: AbortSignal): Promise<Caller> {
  let found = callers.get(deps);
  if (!found) {
    found = readCaller(deps, signal);
    // A failure is not cached: the next step may try again (e.g. after `az login`).
    found.catch(() => callers.delete(deps));
    callers.set(deps, found);
  }
  return found;
}

async function readCaller(deps: StepDeps, signal?: AbortSignal): Promise<Caller> {
  let token: AccessToken | null;
  try {
    token = await deps.target.credential.getToken(ARM_SCOPE, signal ? { abortSignal: signal } : {});
  } catch (err) {
    throw signInError(err);
  }
  if (!token) throw signInError(undefined);
  const claims = decodeClaims(token.token);
  const objectId = typeof claims["oid"] === "string" ? claims["oid"] : undefined;
  if (!objectId)
    throw new UserError(
      "Reading who is signed in to Azure: the token names no object id (oid).",
      "Sign in as a user or service principal with `az login`, then rerun.",
    );
  const tenantId = typeof claims["tid"] === "string" ? claims["tid"] : deps.target.tenantId;
  const user =
    typeof claims["upn"] === "string" ||
    typeof claims["unique_name"] === "string" ||
    typeof claims["scp"] === "string";
  const displayName = [claims["upn"], claims["unique_name"], claims["name"], claims["appid"]].find(
    (v) => typeof v === "string",
  ) as string | undefined;
  return {
    objectId,
    tenantId,
    principalType: user ? "User" : "ServicePrincipal",
    ...(displayName ? { displayName } : {}),
  };
}

function signInError(err: unknown): UserError {
  const why = err instanceof Error ? err.message.split("\n")[0] : "no token was returned";
  return new UserError(
    `Signing in to Azure Resource Manager failed: ${why}`,
    "Sign in with `az login` (or set AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET for a service principal), then rerun.",
    { cause: err },
  );
}

function decodeClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split(".")[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}
