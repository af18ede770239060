import type { Ctx } from "../context.js";
import { list, query } from "../context.js";
import { requireProject } from "../environments.js";
import { DevopsError } from "../errors.js";
import type { Route } from "../router.js";
import type { BuildRecord } from "../state.js";
import type { TimelineRecordState } from "./run-state.js";

/**
 * Build logs (`_apis/build/builds/{id}/logs[/{logId}]`): one log per job and task that ran,
 * written as the agent writes them (section markers, the script, `##[error]` lines), from the
 * timeline record. Log ids are the records' positions in the timeline (+1), stable per run.
 */
const BUILD_NS = ["Microsoft.TeamFoundation.Build.WebApi", "Microsoft.TeamFoundation.Build2.WebApi"] as const;

const hasLog = (r: TimelineRecordState) =>
  (r.type === "Job" || r.type === "Task") && r.startTime !== undefined;

export function logIdOf(b: BuildRecord, r: TimelineRecordState): number | undefined {
  return hasLog(r) ? b.records.indexOf(r) + 1 : undefined;
}

export function logUrl(ctx: Ctx, b: BuildRecord, id: number): string {
  return `${ctx.orgUrl}/${b.projectId}/_apis/build/builds/${b.id}/logs/${id}`;
}

function lines(r: TimelineRecordState): string[] {
  const at = r.startTime ?? "";
  const end = r.finishTime ?? at;
  const out = [`${at} ##[section]Starting: ${r.name}`];
  if (r.type === "Task" && r.step) {
    const task = r.step.task ?? (r.step.kind === "script" ? "CmdLine@2" : r.step.kind);
    out.push(
      `${at} ==============================================================================`,
      `${at} Task         : ${task.split("@")[0]}`,
      `${at} Version      : ${task.split("@")[1] ?? "0"}`,
      `${at} ==============================================================================`,
    );
    if (r.step.script !== undefined) {
      out.push(`${at} Script contents:`, ...r.step.script.split("\n").map((l) => `${at} ${l}`));
      out.push(`${at} ========================== Starting Command Output ===========================`);
    }
  }
  for (const i of r.issues) out.push(`${end} ##[${i.type}]${i.message}`);
  if (r.state === "completed") out.push(`${end} ##[section]Finishing: ${r.name}`);
  return out;
}

function findBuild(ctx: Ctx): BuildRecord {
  const project = requireProject(ctx);
  const b = ctx.state.builds[ctx.params.buildId ?? ""];
  if (!b || b.projectId !== project.id)
    throw new DevopsError(
      404,
      `The requested build ${ctx.params.buildId ?? ""} could not be found.`,
      "BuildNotFoundException",
      ...BUILD_NS,
    );
  return b;
}

function getLogs(ctx: Ctx) {
  const b = findBuild(ctx);
  if (ctx.params.logId === undefined) {
    return list(
      b.records.filter(hasLog).map((r) => ({
        lineCount: lines(r).length,
        createdOn: r.startTime,
        lastChangedOn: r.finishTime ?? r.startTime,
        id: logIdOf(b, r),
        type: "Container",
        url: logUrl(ctx, b, logIdOf(b, r) as number),
      })),
    );
  }
  const r = b.records[Number(ctx.params.logId) - 1];
  if (!r || !hasLog(r))
    throw new DevopsError(
      404,
      `Build log ${ctx.params.logId} of build ${b.id} could not be found.`,
      "BuildLogNotFoundException",
      ...BUILD_NS,
    );
  const start = Math.max(Number(query(ctx, "startLine") ?? "1"), 1);
  const endQ = query(ctx, "endLine");
  const all = lines(r);
  const picked = all.slice(start - 1, endQ ? Number(endQ) : all.length);
  if ((ctx.req.headers.accept ?? "").includes("application/json")) return list(picked);
  return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: picked.join("\n") };
}

export const logRoutes: Route[] = [
  {
    id: "35a80daf-7f30-45fc-86e8-6b813d9c90df",
    area: "build",
    resource: "logs",
    template: "{project}/_apis/build/builds/{buildId}/logs/{logId}",
    resourceVersion: 2,
    methods: { GET: getLogs },
  },
];
