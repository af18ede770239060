import type { Ctx } from "../context.js";
import { bodyObject, noContent, str } from "../context.js";
import { requireProject } from "../environments.js";
import { DevopsError, errors } from "../errors.js";
import type { Route } from "../router.js";
import { isAmongApprovers } from "./approvers.js";
import { advance } from "./run-context.js";
import { runContext } from "./service.js";

/**
 * `POST {project}/_apis/distributedtask/hubs/{hub}/plans/{planId}/events` with
 * {name: "TaskCompleted", taskId, jobId, result}: how an agentless task waiting on a person
 * (ManualValidation) is resumed (result succeeded) or rejected (result rejected or failed).
 * taskId and jobId are the timeline record ids of the task and its job; planId is the run's
 * orchestration plan (build.orchestrationPlan.planId).
 */
const DT = [
  "Microsoft.TeamFoundation.DistributedTask.WebApi",
  "Microsoft.TeamFoundation.DistributedTask.WebApi",
] as const;

function postEvent(ctx: Ctx) {
  const project = requireProject(ctx);
  const planId = (ctx.params.planId ?? "").toLowerCase();
  const b = Object.values(ctx.state.builds).find((x) => x.planId === planId && x.projectId === project.id);
  if (!b)
    throw new DevopsError(
      404,
      `Plan ${planId} does not exist.`,
      "TaskOrchestrationPlanNotFoundException",
      ...DT,
    );
  const body = bodyObject(ctx);
  if (!body) throw errors.argument("Value cannot be null.", "eventData");
  const name = str(body.name);
  if (name !== "TaskCompleted")
    throw errors.badRequest(
      `Event '${name ?? ""}' is not supported; the sandbox accepts TaskCompleted.`,
      "InvalidRequestException",
    );
  const taskId = str(body.taskId)?.toLowerCase();
  const jobId = str(body.jobId)?.toLowerCase();
  const task = b.records.find((r) => r.id === taskId && r.type === "Task");
  if (!task || task.parentId !== jobId)
    throw new DevopsError(
      404,
      `Task ${taskId ?? ""} of job ${jobId ?? ""} was not found in plan ${planId}.`,
      "TaskOrchestrationJobNotFoundException",
      ...DT,
    );
  if (task.state !== "inProgress" || !/^manualvalidation@/i.test(task.step?.task ?? ""))
    throw errors.badRequest(`Task ${task.name} is not waiting for an event.`, "InvalidRequestException");
  const result = (str(body.result) ?? "").toLowerCase();
  if (!["succeeded", "rejected", "failed"].includes(result))
    throw errors.badRequest(
      `Result '${result}' is not valid; use succeeded or rejected.`,
      "InvalidRequestException",
    );
  const approvers = (task.step?.inputs.approvers ?? "").split(",").filter((x) => x.trim());
  if (approvers.length > 0 && !isAmongApprovers(ctx.state, approvers, ctx.identity))
    // Status and typeKey assumed (the real answer was not found); the task keeps waiting.
    throw new DevopsError(
      403,
      `${ctx.identity.uniqueName} is not authorized to resume or reject ${task.name}. Approvers: ${approvers.map((x) => x.trim()).join(", ")}.`,
      "TaskOrchestrationPlanSecurityException",
      ...DT,
    );
  // Booleans reach inputs as "True"/"False", as Azure Pipelines passes them.
  const ownRunsAllowed =
    (task.step?.inputs.allowApproversToApproveTheirOwnRuns ?? "true").toLowerCase() !== "false";
  if (
    approvers.length > 0 &&
    !ownRunsAllowed &&
    b.requestedFor.id.toLowerCase() === ctx.identity.id.toLowerCase()
  )
    // allowApproversToApproveTheirOwnRuns: false, and the caller requested this run (assumed answer).
    throw new DevopsError(
      403,
      `${ctx.identity.uniqueName} requested this run and cannot resume or reject ${task.name}: allowApproversToApproveTheirOwnRuns is false. Approvers: ${approvers.map((x) => x.trim()).join(", ")}.`,
      "TaskOrchestrationPlanSecurityException",
      ...DT,
    );
  task.resolution = {
    result: result === "succeeded" ? "succeeded" : "rejected",
    at: ctx.nowIso(),
    by: ctx.identity.displayName,
  };
  advance(runContext(ctx.state, ctx.opts));
  ctx.changed();
  return noContent();
}

export const planEventRoutes: Route[] = [
  {
    id: "557624af-b29e-4c20-8ab0-0399d2204f3f",
    area: "distributedtask",
    resource: "events",
    template: "{project}/_apis/distributedtask/hubs/{hubName}/plans/{planId}/events",
    resourceVersion: 1,
    methods: { POST: postEvent },
  },
];
