import type { Ctx } from "../context.js";
import { list, obj, ok, query, str } from "../context.js";
import { requireProject } from "../environments.js";
import { DevopsError, errors } from "../errors.js";
import type { Route } from "../router.js";
import { isAmongApprovers, isApprover } from "./approvers.js";
import { approvalJson } from "./json.js";
import { advance } from "./run-context.js";
import type { ApprovalRecord } from "./run-state.js";
import { runContext } from "./service.js";

/**
 * Approvals of the environment Approval check (`_apis/pipelines/approvals`): query, get, and
 * approve/reject with PATCH [{approvalId, status, comment}]. An answered approval lets the
 * run's checkpoint go on (approved) or fails the stage (rejected).
 */
const NS = [
  "Microsoft.Azure.Pipelines.Approval.WebApi",
  "Microsoft.Azure.Pipelines.Approval.WebApi",
] as const;

const notFound = (id: string) =>
  new DevopsError(
    404,
    `Approval with id ${id} does not exist or you do not have permission to view it.`,
    "ApprovalNotFoundException",
    ...NS,
  );

/**
 * An approval with approvers is answered only by one of them (directly or through a group),
 * and never by a blocked approver (the run's requester when the check says
 * requesterCannotBeApprover).
 */
const mayAnswer = (ctx: Ctx, a: ApprovalRecord) =>
  !isBlocked(ctx, a) &&
  (a.approvers.length === 0 ||
    isAmongApprovers(
      ctx.state,
      a.approvers.map((x) => x.id),
      ctx.identity,
    ));

const isBlocked = (ctx: Ctx, a: ApprovalRecord) =>
  (a.blockedApprovers ?? []).some((x) => x.id.toLowerCase() === ctx.identity.id.toLowerCase());

/**
 * A caller who is not among the approvers. Status and typeKey are assumed (the real service's
 * answer was not found in any public source); the approval stays pending.
 */
const unauthorized = (ctx: Ctx, a: ApprovalRecord) =>
  new DevopsError(
    403,
    isBlocked(ctx, a) &&
      isAmongApprovers(
        ctx.state,
        a.approvers.map((x) => x.id),
        ctx.identity,
      )
      ? `${ctx.identity.uniqueName} requested this run and cannot approve or reject approval ${a.id}: the check does not let the requester approve. Approvers: ${a.approvers.map((x) => x.uniqueName).join(", ")}.`
      : `${ctx.identity.uniqueName} is not authorized to approve or reject approval ${a.id}. Approvers: ${a.approvers.map((x) => x.uniqueName).join(", ")}.`,
    "ApprovalUnauthorizedException",
    ...NS,
  );

function approvals(ctx: Ctx): ApprovalRecord[] {
  const project = requireProject(ctx);
  return Object.values(ctx.state.approvals ?? {}).filter((a) => a.projectId === project.id);
}

const withSteps = (ctx: Ctx) => (query(ctx, "$expand") ?? "").toLowerCase().split(",").includes("steps");

function queryApprovals(ctx: Ctx) {
  const ids = query(ctx, "approvalIds")?.toLowerCase().split(",");
  const state = query(ctx, "state")?.toLowerCase();
  const top = Number(query(ctx, "top") ?? "0");
  let items = approvals(ctx)
    .filter((a) => !ids || ids.includes(a.id))
    .filter(
      (a) =>
        !state ||
        state === "all" ||
        a.status.toLowerCase() === state ||
        (state === "completed" && a.status !== "pending"),
    )
    .sort((a, b) => b.createdOn.localeCompare(a.createdOn));
  if (top > 0) items = items.slice(0, top);
  return list(items.map((a) => approvalJson(ctx, a, withSteps(ctx))));
}

function getApproval(ctx: Ctx) {
  const id = (ctx.params.approvalId ?? "").toLowerCase();
  const a = approvals(ctx).find((x) => x.id === id);
  if (!a) throw notFound(id);
  return ok(approvalJson(ctx, a, withSteps(ctx)));
}

function updateApprovals(ctx: Ctx) {
  const body = ctx.req.body;
  if (!Array.isArray(body) || body.length === 0)
    throw errors.argument("Value cannot be null.", "updateParameters");
  const mine = approvals(ctx);
  // Validate everything first: the update is all or nothing.
  const updates = body.map((entry) => {
    const e = obj(entry);
    const id = str(e?.approvalId)?.toLowerCase() ?? "";
    const status = str(e?.status)?.toLowerCase();
    const a = mine.find((x) => x.id === id);
    if (!a) throw notFound(id);
    if (status !== "approved" && status !== "rejected")
      throw errors.badRequest(
        `Status '${String(e?.status)}' is not valid for an approval update; use approved or rejected.`,
        "InvalidRequestException",
      );
    if (a.status !== "pending")
      throw new DevopsError(
        400,
        `Approval ${a.id} has already been ${a.status}; it can no longer be updated.`,
        "ApprovalAlreadyCompletedException",
        ...NS,
      );
    if (!mayAnswer(ctx, a)) throw unauthorized(ctx, a);
    return { a, status: status as "approved" | "rejected", comment: str(e?.comment) ?? "" };
  });
  const now = ctx.nowIso();
  for (const u of updates) {
    const step =
      u.a.steps.find((s) => s.approverId === ctx.identity.id && s.status === "pending") ??
      u.a.steps.find((s) => s.status === "pending" && isApprover(ctx.state, s.approverId, ctx.identity));
    if (step) {
      step.status = u.status;
      step.comment = u.comment;
      step.actualApprover = ctx.identity;
      step.lastModifiedOn = now;
    }
    const approvedCount = u.a.steps.filter((s) => s.status === "approved").length;
    // minRequiredApprovers 0 means every approver must approve.
    const needed = u.a.minRequiredApprovers > 0 ? u.a.minRequiredApprovers : Math.max(u.a.steps.length, 1);
    if (u.status === "rejected") u.a.status = "rejected";
    else if (approvedCount >= needed || u.a.steps.length === 0) u.a.status = "approved";
    u.a.lastModifiedOn = now;
  }
  advance(runContext(ctx.state, ctx.opts));
  ctx.changed();
  return list(updates.map((u) => approvalJson(ctx, u.a, true)));
}

export const approvalRoutes: Route[] = [
  {
    id: "37794717-f36f-4d78-b0bf-4dc61934c3d8",
    area: "approval",
    resource: "approvals",
    template: "{project}/_apis/pipelines/approvals/{approvalId}",
    resourceVersion: 2,
    methods: {
      GET: (ctx) => (ctx.params.approvalId ? getApproval(ctx) : queryApprovals(ctx)),
      PATCH: updateApprovals,
    },
  },
];
