import { levenshtein } from "../../src/answers/did-you-mean.js";
import { UserError } from "../../src/engine/errors.js";
import { findIdentity, knownPrincipals, type IdentityClient, type IdentityRef } from "./identities.js";

/**
 * The groups Azure DevOps creates with every project: a project this run creates will have
 * them, so they may be named as approvers before it exists.
 */
export const PROJECT_DEFAULT_GROUPS = [
  "Project Administrators",
  "Build Administrators",
  "Contributors",
  "Readers",
  "Project Valid Users",
] as const;

/** One approver as the answers name it, and who the organization says it is. */
export interface ApproverCheck {
  readonly name: string;
  /** Undefined: no user or group of the organization has this name (yet, when `pending`). */
  readonly identity?: IdentityRef;
  /** A default group of the project this run creates: it exists once the project does. */
  readonly pending?: boolean;
  /** For an unknown name: the closest user or group name of the organization, if one is close. */
  readonly suggestion?: string;
}

/**
 * Looks each approver up the way the Approval check step does (the wizard checks typed answers
 * with this same function), and suggests a close known name for the unknown ones.
 */
export async function checkApprovers(
  client: IdentityClient,
  names: readonly string[],
  opts: { projectToCreate?: string } = {},
): Promise<ApproverCheck[]> {
  const pending = (name: string) => isDefaultGroupOf(name, opts.projectToCreate);
  const found = await Promise.all(
    names.map((name) => (pending(name) ? undefined : findIdentity(client, name))),
  );
  if (names.every((name, i) => found[i] || pending(name)))
    return names.map((name, i) => (pending(name) ? { name, pending: true } : { name, identity: found[i]! }));
  const known = await knownPrincipals(client);
  return names.map((name, i) => {
    const identity = found[i];
    if (identity) return { name, identity };
    if (pending(name)) return { name, pending: true };
    const suggestion = closestName(name, known);
    return suggestion ? { name, suggestion } : { name };
  });
}

/** `[demo]\Contributors` when `project` is demo (case-insensitive). */
function isDefaultGroupOf(name: string, project: string | undefined): boolean {
  if (!project) return false;
  const m = /^\[([^\]]+)\]\\(.+)$/.exec(name);
  return (
    !!m &&
    m[1]!.toLowerCase() === project.toLowerCase() &&
    PROJECT_DEFAULT_GROUPS.some((g) => g.toLowerCase() === m[2]!.toLowerCase())
  );
}

/**
 * The known name closest to `name`, when it is a likely typo: e-mails share their domain, so
 * the allowance is a third of the part that differs between people (before @, after \).
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const personal = name.includes("\\") ? name.slice(name.indexOf("\\") + 1) : name.split("@")[0]!;
  const limit = Math.max(1, Math.floor(personal.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = levenshtein(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** "alx@contoso.com (did you mean alex@contoso.com?)" */
export function describeUnknown(check: ApproverCheck): string {
  return check.suggestion ? `${check.name} (did you mean ${check.suggestion}?)` : check.name;
}

/**
 * The error for approvers the organization does not know, naming each one's answers path
 * (`devops.productionApprovers[1]`); the first one is the error's `field`. Undefined when all
 * are known.
 */
export function unknownApproversError(
  field: string,
  checks: readonly ApproverCheck[],
  opts: { projectToCreate?: string } = {},
): UserError | undefined {
  const unknown = checks
    .map((c, i) => ({ c, path: `${field}[${i}]` }))
    .filter(({ c }) => !c.identity && !c.pending);
  const first = unknown[0];
  if (!first) return undefined;
  const what = unknown.map(({ c, path }) => `${path} = ${describeUnknown(c)}`).join(", ");
  const project = opts.projectToCreate;
  const ofNewProject =
    project && unknown.some(({ c }) => c.name.toLowerCase().startsWith(`[${project.toLowerCase()}]\\`))
      ? ` Project ${project} is created by this run: of its groups only the default ones (${PROJECT_DEFAULT_GROUPS.join(", ")}) can be named before it exists; add others after the first run.`
      : "";
  return new UserError(
    `no Azure DevOps user or group matches ${what}`,
    `Fix ${field} in the answers (an e-mail of an organization user, or a group as [Project]\\Group), or add the user to the organization (Organization settings > Users), then rerun.${ofNewProject}`,
    { field: first.path },
  );
}

/**
 * The approvers as checked; throws unknownApproversError when one is not in the organization.
 * Default groups of `projectToCreate` come back `pending` (resolve again once it exists).
 */
export async function resolveApprovers(
  client: IdentityClient,
  field: string,
  names: readonly string[],
  opts: { projectToCreate?: string } = {},
): Promise<ApproverCheck[]> {
  const checks = await checkApprovers(client, names, opts);
  const err = unknownApproversError(field, checks, opts);
  if (err) throw err;
  return checks;
}
