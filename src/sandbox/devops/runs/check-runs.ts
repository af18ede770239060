import type { Ctx } from "../context.js";
import { identityJson, ok } from "../context.js";
import { requireProject } from "../environments.js";
import { DevopsError } from "../errors.js";
import type { Route } from "../router.js";
import { children } from "./engine.js";
import type { TimelineRecordState } from "./run-state.js";

/**
 * `GET _apis/pipelines/checks/runs/{checkSuiteId}`: a stage's checkpoint as a check suite. The
 * suite id is the timeline's Checkpoint record id; its check runs are the authorization
 * (type "Authorization", as the service's example shows) and each environment approval.
 */
const NS = ["Microsoft.Azure.Pipelines.Checks.WebApi", "Microsoft.Azure.Pipelines.Checks.WebApi"] as const;
const AUTHORIZATION_CHECK = { id: "e1a1fc6c-c278-4492-ae1c-c42f8697612c", name: "Authorization" };
const APPROVAL_TYPE = { id: "8c6f20a7-a545-4486-9777-f762fafe0d4d", name: "Approval" };

function status(r: TimelineRecordState, approvalStatus?: string): string {
  if (approvalStatus === "timedOut") return "timedOut";
  if (r.state !== "completed") return "running";
  return r.result === "succeeded" ? "approved" : "rejected";
}

function getCheckSuite(ctx: Ctx) {
  const project = requireProject(ctx);
  const id = (ctx.params.checkSuiteId ?? "").toLowerCase();
  const b = Object.values(ctx.state.builds).find(
    (x) => x.projectId === project.id && x.records.some((r) => r.id === id && r.type === "Checkpoint"),
  );
  const cp = b?.records.find((r) => r.id === id);
  if (!b || !cp)
    throw new DevopsError(404, `Check suite ${id} does not exist.`, "CheckSuiteNotFoundException", ...NS);
  const checkRuns = children(b, cp).map((r) => {
    const approval = ctx.state.approvals?.[r.id];
    const check = r.identifier?.startsWith("check.") ? ctx.state.checks[r.identifier.slice(6)] : undefined;
    const ref =
      r.type === "Checkpoint.Approval"
        ? {
            id: check?.id ?? 0,
            type: APPROVAL_TYPE,
            url: `${ctx.orgUrl}/${b.projectId}/_apis/pipelines/checks/configurations/${check?.id ?? 0}`,
            resource: check
              ? {
                  type: check.resource.type,
                  id: check.resource.id,
                  ...(check.resource.name ? { name: check.resource.name } : {}),
                }
              : {},
            version: check?.version ?? 1,
          }
        : { id: 0, type: AUTHORIZATION_CHECK, resource: r.unauthorized?.[0] ?? {} };
    return {
      id: r.id,
      createdDate: r.startTime,
      ...(r.finishTime ? { completedDate: r.finishTime } : {}),
      checkConfigurationRef: ref,
      status: status(r, approval?.status),
      resultMessage: r.issues[0]?.message ?? "",
      modifiedBy: identityJson(ctx, b.requestedFor),
    };
  });
  return ok({
    status: status(cp),
    message: "",
    ...(cp.finishTime ? { completedDate: cp.finishTime } : {}),
    checkRuns,
    _links: { self: { href: `${ctx.orgUrl}/${b.projectId}/_apis/pipelines/checks/runs` } },
    id: cp.id,
    context: { PlanId: b.planId, "Pipeline.Id": b.definitionId, "GraphNode.Id": cp.parentId },
  });
}

export const checkRunRoutes: Route[] = [
  {
    // Location id of the sandbox's own (not looked up by azure-devops-node-api, which lacks checks).
    id: "91282c1d-c183-444f-9554-1485bfb3879d",
    area: "PipelinesChecks",
    resource: "runs",
    template: "{project}/_apis/pipelines/checks/runs/{checkSuiteId}",
    resourceVersion: 1,
    methods: { GET: getCheckSuite },
  },
];
