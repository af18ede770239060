import { isRestError } from "@azure/core-rest-pipeline";
import { AbortedError, BugError, UserError, wrapError } from "../../src/engine/errors.js";
import type { FieldDiff, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import type { Side, Stage } from "../ids.js";

/** The tag every managed resource carries; user tags next to it are never touched. */
export const MANAGED_BY = "aks-bootstrap";

export function desiredTags(deps: StepDeps): Record<string, string> {
  return { "managed-by": MANAGED_BY, app: deps.answers.app };
}

/** One FieldDiff per owned tag that is missing or different (extra tags are the user's). */
export function tagDiffs(
  observed: Readonly<Record<string, string>> | undefined,
  deps: StepDeps,
): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const [key, value] of Object.entries(desiredTags(deps))) {
    if (observed?.[key] !== value) diffs.push({ field: `tags.${key}`, from: observed?.[key], to: value });
  }
  return diffs;
}

/** The tags to write: the observed ones (user tags kept) plus ours. */
export function mergedTags(
  observed: Readonly<Record<string, string>> | undefined,
  deps: StepDeps,
): Record<string, string> {
  return { ...(observed ?? {}), ...desiredTags(deps) };
}

/** Where Azure says a resource (or its parent) does not exist. */
export function isNotFound(err: unknown): boolean {
  if (isRestError(err)) return err.statusCode === 404;
  const e = err as { statusCode?: unknown; code?: unknown } | null;
  return typeof e === "object" && e !== null && (e.statusCode === 404 || e.code === "ResourceNotFound");
}

/** ARM's error code of a failed call (`error.code` in the body), when there is one. */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; details?: unknown } | null;
  if (typeof e !== "object" || e === null) return undefined;
  const details = e.details as { error?: { code?: unknown } } | undefined;
  if (typeof details?.error?.code === "string") return details.error.code;
  return typeof e.code === "string" ? e.code : undefined;
}

export function statusCode(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown } | null;
  return typeof e === "object" && e !== null && typeof e.statusCode === "number" ? e.statusCode : undefined;
}

/** GET that maps 404 to `undefined` (absent). */
export async function getOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Options for every SDK call: abort with the run, poll as fast as the Target says. */
export function callOptions(deps: StepDeps, ctx: StepContext) {
  return { abortSignal: ctx.signal, updateIntervalInMs: deps.azure.lro.updateIntervalInMs };
}

/** Which resource group holds a stage's objects: staging lives on the non-production side. */
export function sideOf(stage: Stage): Side {
  return stage === "staging" ? "nonprod" : "prod";
}

export function resourceGroupName(deps: StepDeps, side: Side): string {
  return side === "nonprod" ? deps.names.resourceGroupNonprod : deps.names.resourceGroupProd;
}

export function resourceGroupId(deps: StepDeps, side: Side): string {
  return `/subscriptions/${deps.target.subscriptionId}/resourceGroups/${resourceGroupName(deps, side)}`;
}

/** Resource id built from names, for use before the resource exists (e.g. in a plan). */
export function resourceId(deps: StepDeps, side: Side, provider: string, type: string, name: string): string {
  return `${resourceGroupId(deps, side)}/providers/${provider}/${type}/${name}`;
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** "1m12s" / "45s": elapsed time for progress lines. */
export function elapsed(sinceMs: number): string {
  const s = Math.max(0, Math.round((Date.now() - sinceMs) / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/**
 * Wraps a failed Azure call with what was being done. Azure's 4xx answers are the operator's
 * to fix (permission, policy, quota, name): a UserError carrying Azure's code and message.
 * Interruptions pass through untouched so the run ends "aborted", not "failed".
 */
export function azureFailure(doing: string, err: unknown): Error {
  if (err instanceof AbortedError || (err instanceof Error && err.name === "AbortError")) return err;
  const status = statusCode(err);
  if (status !== undefined && status >= 400 && status < 500 && !(err instanceof UserError)) {
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    return new UserError(`${doing}: ${code ? `${code}: ` : ""}${message}`, hintFor(status, code), {
      cause: err,
    });
  }
  // core-lro reports an operation that ended Failed/Canceled as a plain Error: Azure's
  // verdict, not our bug; rerunning redoes it.
  if (err instanceof Error && /^The long-running operation has (failed|been canceled)/.test(err.message)) {
    const why = err.message.replace(/^The long-running operation has (failed|been canceled)\.\s*/, "");
    return new UserError(
      `${doing}: Azure reports the operation failed: ${why}`,
      "Rerun to retry it; finished steps are not redone.",
      {
        cause: err,
      },
    );
  }
  return wrapError(doing, err);
}

function hintFor(status: number, code: string | undefined): string {
  if (status === 401) return "Sign in again with `az login`, then rerun.";
  if (status === 403 || code === "AuthorizationFailed")
    return "Ask for Owner or User Access Administrator plus Contributor on the subscription or resource groups, then rerun.";
  if (code === "RequestDisallowedByPolicy")
    return "An Azure Policy blocks this setting; ask the policy owner for an exemption.";
  if (code?.includes("Quota"))
    return "Request a quota increase for this region, or pick another region or VM size.";
  return "Fix the cause Azure names above, then rerun; finished steps are not redone.";
}

/**
 * A step's observed state when it is in this run and an ancestor of the caller; `undefined`
 * otherwise (e.g. preflight left out of a run), where ctx.observed would refuse.
 */
export function peek<T>(ctx: StepContext, stepId: string): T | undefined {
  try {
    return ctx.observed<T>(stepId);
  } catch (err) {
    if (err instanceof BugError) return undefined;
    throw err;
  }
}
