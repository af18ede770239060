import type { Step, StepContext } from "../../src/engine/types.js";
import type { ObservedDevopsSignIn } from "./preflight-auth.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import { diffFields, doing, projectOf, requireProject } from "./common.js";
import type { ObservedEnvironment } from "./environment.js";
import { signedInUser, type IdentityRef } from "./identities.js";
import { resolveApprovers as resolveNamed, type ApproverCheck } from "./approvers.js";

/** The Approval check type (fixed id across all organizations). */
export const APPROVAL_CHECK_TYPE = { id: "8c6f20a7-a545-4486-9777-f762fafe0d4d", name: "Approval" } as const;
const CHECKS_API = "api-version=7.1-preview.1";
/** 30 days, in minutes: a production deploy waits this long for its approvers. */
const TIMEOUT_MINUTES = 43200;
const INSTRUCTIONS = "Approve the production deployment after checking staging (managed by aks-bootstrap).";

export interface ObservedApprovalCheck {
  readonly id: number;
  readonly approverIds: readonly string[];
  readonly minRequiredApprovers: number;
  readonly requesterCannotBeApprover: boolean;
  readonly executionOrder: string;
  readonly timeout: number;
  readonly instructions?: string;
}

interface CheckConfiguration {
  id: number;
  type?: { id?: string; name?: string };
  timeout?: number;
  settings?: {
    approvers?: { id: string }[];
    minRequiredApprovers?: number;
    requesterCannotBeApprover?: boolean;
    executionOrder?: string;
    instructions?: string;
  };
}

function observe(c: CheckConfiguration): ObservedApprovalCheck {
  const s = c.settings ?? {};
  return {
    id: c.id,
    approverIds: (s.approvers ?? []).map((a) => a.id).sort(),
    minRequiredApprovers: s.minRequiredApprovers ?? 0,
    requesterCannotBeApprover: s.requesterCannotBeApprover ?? false,
    executionOrder: s.executionOrder ?? "anyOrder",
    timeout: c.timeout ?? 0,
    ...(s.instructions ? { instructions: s.instructions } : {}),
  };
}

/**
 * The production environment's Approval check: approvers from the answers (or the signed-in
 * user), at least one approval, and whoever queued the run cannot approve it.
 */
export function approvalCheckStep(deps: StepDeps): Step<ObservedApprovalCheck> {
  const envId = ids.devops.environment("prod");
  const envName = deps.names.environmentProd;
  let approvers: Promise<ApproverCheck[]> | undefined;
  // Resolved once per run: the same people for diff and apply.
  const resolveApprovers = (ctx: StepContext) =>
    (approvers ??= (async (): Promise<ApproverCheck[]> => {
      const names = deps.answers.devops.productionApprovers;
      if (names.length === 0) {
        // The sign-in preflight already asked who this is.
        const me = ctx.observed<ObservedDevopsSignIn>(ids.preflight.devopsAuth);
        const identity = me ? { id: me.userId, displayName: me.userName } : await signedInUser(deps);
        return [{ name: identity.displayName, identity }];
      }
      // A project this run creates has no groups yet: its default groups are resolved at apply.
      const { project, createProject } = deps.answers.devops;
      const toCreate = !projectOf(ctx) && createProject ? { projectToCreate: project } : {};
      return resolveNamed(deps.devops, "devops.productionApprovers", names, toCreate);
    })());
  const identities = (checks: readonly ApproverCheck[]): IdentityRef[] =>
    checks.flatMap((c) => (c.identity ? [c.identity] : []));

  // Named approvers are a second person: the run's requester may not approve it. With none
  // named the signed-in operator is the only approver, and barring the requester would leave
  // every run they queue (their merge -> CI -> CD) with nobody able to approve it.
  const secondPerson = deps.answers.devops.productionApprovers.length > 0;
  const desired = (approverIds: readonly string[]) => ({
    approverIds: [...approverIds].sort(),
    minRequiredApprovers: 1,
    requesterCannotBeApprover: secondPerson,
    executionOrder: "anyOrder",
    timeout: TIMEOUT_MINUTES,
  });

  let wanted: ApproverCheck[] = [];

  return {
    id: ids.devops.approvalCheck,
    title: `Approval check on ${envName}`,
    group: "devops",
    dependsOn: [ids.devops.project, envId],
    async detect(ctx) {
      const project = projectOf(ctx);
      const env = ctx.observed<ObservedEnvironment>(envId);
      // Resolve here (not in diff, which must be pure) so the plan names real approvers, and
      // an unknown one stops the plan before anything is created.
      wanted = await doing("looking up the production approvers", () => resolveApprovers(ctx));
      return doing(`reading the checks of environment ${envName}`, async () => {
        if (!project || !env) return undefined;
        const res = await deps.devops.rest<{ value?: CheckConfiguration[] }>(
          "GET",
          `${project.id}/_apis/pipelines/checks/configurations?resourceType=environment&resourceId=${env.id}&$expand=settings&${CHECKS_API}`,
        );
        const check = (res.body?.value ?? []).find((c) => c.type?.id === APPROVAL_CHECK_TYPE.id);
        return check ? observe(check) : undefined;
      });
    },
    diff(observed) {
      const names = wanted.map((a) => a.identity?.displayName ?? a.name).join(", ");
      if (!observed)
        return {
          kind: "create",
          summary: `Approval check by ${names}, 1 approval needed${secondPerson ? ", not by the requester" : ""}`,
        };
      const fields = diffFields(observed, desired(identities(wanted).map((a) => a.id)));
      if (!fields.length) return { kind: "noop" };
      // Ids say little to a reader: name who approves when they change.
      const who = fields.some((f) => f.field === "approverIds") ? [`approvers: ${names}`] : [];
      return { kind: "update", fields, ...(who.length ? { notes: who } : {}) };
    },
    teardown: {
      // Our instructions carry the marker; a check someone else added is kept.
      owned: (o) => (o.instructions ?? "").includes("managed by aks-bootstrap"),
      containedIn: envId,
      remove: (o, ctx) =>
        doing(`removing the Approval check on ${envName}`, async () => {
          const project = requireProject(ctx);
          await deps.devops.rest(
            "DELETE",
            `${project.id}/_apis/pipelines/checks/configurations/${o.id}?${CHECKS_API}`,
          );
        }),
    },
    async apply(_change, observed, ctx) {
      const project = requireProject(ctx);
      const env = ctx.observed<ObservedEnvironment>(envId);
      if (!env) throw new Error(`environment ${envName} is not available`);
      return doing(`${observed ? "updating" : "adding"} the Approval check on ${envName}`, async () => {
        let checks = await resolveApprovers(ctx);
        if (checks.some((c) => !c.identity)) {
          // Groups of the project created in this run: it exists now, so look them up again.
          approvers = undefined;
          checks = await resolveApprovers(ctx);
        }
        const people = identities(checks);
        const body = {
          type: APPROVAL_CHECK_TYPE,
          resource: { type: "environment", id: String(env.id), name: env.name },
          timeout: TIMEOUT_MINUTES,
          settings: {
            approvers: people.map((p) => ({ id: p.id, displayName: p.displayName })),
            executionOrder: "anyOrder",
            minRequiredApprovers: 1,
            instructions: INSTRUCTIONS,
            blockedApprovers: [],
            requesterCannotBeApprover: secondPerson,
          },
        };
        const res = observed
          ? await deps.devops.rest<CheckConfiguration>(
              "PATCH",
              `${project.id}/_apis/pipelines/checks/configurations/${observed.id}?${CHECKS_API}`,
              { ...body, id: observed.id },
            )
          : await deps.devops.rest<CheckConfiguration>(
              "POST",
              `${project.id}/_apis/pipelines/checks/configurations?${CHECKS_API}`,
              body,
            );
        if (res.status === 404) throw new Error(`the environment or check was not found (HTTP 404)`);
        return observe({
          ...res.body,
          settings: res.body.settings ?? body.settings,
          timeout: res.body.timeout ?? TIMEOUT_MINUTES,
        });
      });
    },
  };
}
