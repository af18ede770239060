import { wrapError } from "../../src/engine/errors.js";
import type { FieldDiff, StepContext } from "../../src/engine/types.js";
import { ids } from "../ids.js";
import type { ObservedProject } from "../observed.js";

/** Shown in every description field we own, so an operator can tell what created it. */
export const MANAGED_DESCRIPTION = "Managed by aks-bootstrap";

/** True for objects aks-bootstrap created: their description starts with MANAGED_DESCRIPTION. */
export function isManaged(description: string | undefined | null): boolean {
  return typeof description === "string" && description.startsWith(MANAGED_DESCRIPTION);
}

/** Shown in plan output for values only known once a dependency exists. */
export const KNOWN_AFTER_APPLY = "(known after apply)";

/** Runs `work`, wrapping any failure with what was being done (UserError hints survive). */
export async function doing<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw wrapError(what, err);
  }
}

/** The project as observed by the project step; undefined while it does not exist (plan). */
export function projectOf(ctx: StepContext): ObservedProject | undefined {
  return ctx.observed<ObservedProject>(ids.devops.project);
}

/** The project, which must exist by the time a dependent applies. */
export function requireProject(ctx: StepContext): ObservedProject {
  const project = projectOf(ctx);
  if (!project) throw new Error("the Azure DevOps project is not available (its step did not produce it)");
  return project;
}

/** Field diffs between two flat records, keeping only the fields whose values differ. */
export function diffFields<T extends object>(observed: T, desired: Partial<T>): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const [field, to] of Object.entries(desired)) {
    const from = (observed as Record<string, unknown>)[field];
    if (!sameValue(from, to)) out.push({ field, from, to });
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (b === KNOWN_AFTER_APPLY) return true; // unknown yet: not a difference we can act on
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `refs/heads/main` -> `main`. */
export function shortBranch(ref: string): string {
  return ref.replace(/^refs\/heads\//, "");
}

/** `main` -> `refs/heads/main`. */
export function fullRef(branch: string): string {
  return branch.startsWith("refs/") ? branch : `refs/heads/${branch}`;
}
