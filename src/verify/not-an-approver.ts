import { DevopsHttpError } from "../clients/devops.js";
import type { StepLink } from "../engine/types.js";
import { GateStop } from "./context.js";

/** What --approve tried to act on, for the stop it becomes when the service refuses. */
export interface GateAttempt {
  /** e.g. `the approval for stage "Promote and deploy to production"` */
  readonly gate: string;
  /** Who the gate names (users, groups); empty when the service did not say. */
  readonly approvers: readonly string[];
  readonly link: StepLink;
  /** What the person does once there. */
  readonly next: string;
}

/**
 * The service refused the signed-in identity as approver: not an approver nor in an approver
 * group, or barred as the run's requester.
 */
const isRefusal = (err: unknown): err is DevopsHttpError =>
  err instanceof DevopsHttpError && err.status === 403;

/** The service's own words, without the request line the client puts in front of them. */
const serviceMessage = (err: DevopsHttpError) =>
  err.message.replace(/^.*? answered \d{3}: /, "").replace(/\.$/, "");

/**
 * --approve acting on a gate the signed-in identity may not answer: the gate stays waiting,
 * so verify stops there (exit 3) naming the gate and who may act, as without --approve.
 * Any other failure is returned unchanged.
 */
export function notAnApprover(err: unknown, at: GateAttempt): unknown {
  if (!isRefusal(err)) return err;
  // The service's own answer says why (not an approver, or the run's requester).
  const said = serviceMessage(err);
  const who =
    at.approvers.length > 0 && !/approvers:/i.test(said) ? `; it is for ${at.approvers.join(", ")}` : "";
  return new GateStop(
    `${at.gate} is waiting, and --approve may not answer it: Azure DevOps refused the signed-in identity (${said})${who}`,
    [at.link],
    at.next,
  );
}
