import { closestKey } from "../../src/answers/did-you-mean.js";
import { UserError } from "../../src/engine/errors.js";
import { findIdentity, knownPrincipals, type IdentityClient, type IdentityRef } from "./identities.js";

/** One approver as the answers name it, and who the organization says it is. */
export interface ApproverCheck {
  readonly name: string;
  /** Undefined: no user or group of the organization has this name. */
  readonly identity?: IdentityRef;
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
): Promise<ApproverCheck[]> {
  const found = await Promise.all(names.map((name) => findIdentity(client, name)));
  if (found.every(Boolean)) return names.map((name, i) => ({ name, identity: found[i]! }));
  const known = await knownPrincipals(client);
  return names.map((name, i) => {
    const identity = found[i];
    if (identity) return { name, identity };
    const suggestion = closestKey(name, known);
    return suggestion ? { name, suggestion } : { name };
  });
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
export function unknownApproversError(field: string, checks: readonly ApproverCheck[]): UserError | undefined {
  const unknown = checks.map((c, i) => ({ c, path: `${field}[${i}]` })).filter(({ c }) => !c.identity);
  const first = unknown[0];
  if (!first) return undefined;
  const what = unknown.map(({ c, path }) => `${path} = ${describeUnknown(c)}`).join(", ");
  return new UserError(
    `no Azure DevOps user or group matches ${what}`,
    `Fix ${field} in the answers (an e-mail of an organization user, or a group as [Project]\\Group), or add the user to the organization (Organization settings > Users), then rerun.`,
    { field: first.path },
  );
}

/** The approvers' identities; throws unknownApproversError when one is not in the organization. */
export async function resolveApprovers(
  client: IdentityClient,
  field: string,
  names: readonly string[],
): Promise<IdentityRef[]> {
  const checks = await checkApprovers(client, names);
  const err = unknownApproversError(field, checks);
  if (err) throw err;
  return checks.map((c) => c.identity!);
}
