import { UserError } from "../../src/engine/errors.js";
import type { Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import type { ObservedProject } from "../observed.js";
import { sleep as wait } from "../../src/engine/sleep.js";
import { MANAGED_DESCRIPTION, doing, isManaged } from "./common.js";

/** The Agile process: the organization default when it cannot be read. */
const AGILE_PROCESS_ID = "adcc42ab-9882-485e-a3ed-7678f01f66bc";
/** Project creation usually takes seconds to a minute; beyond this something is wrong. */
const CREATE_DEADLINE_MS = 10 * 60_000;

interface Operation {
  readonly id: string;
  readonly status: "notSet" | "queued" | "inProgress" | "cancelled" | "succeeded" | "failed";
  readonly resultMessage?: string | null;
}

/** Detects the Azure DevOps project by name; creates it (an asynchronous operation) when the answers allow. */
export interface ObservedProjectDetail extends ObservedProject {
  /** `wellFormed` once usable; `createPending` / `new` while being created. */
  readonly state: string;
  readonly description?: string;
}

const isReady = (p: ObservedProjectDetail) => p.state.toLowerCase() === "wellformed";

/**
 * `afterSignIn`: wait for the sign-in preflight (devopsSignInStep), as devopsSteps() composes
 * it; off for runs that hold only a few DevOps steps (tests of other families).
 */
export function projectStep(
  deps: StepDeps,
  opts: { afterSignIn?: boolean } = {},
): Step<ObservedProjectDetail> {
  const name = deps.answers.devops.project;
  const org = deps.devops.organizationUrl;

  const read = async (): Promise<ObservedProjectDetail | undefined> => {
    const core = await (await deps.devops.api()).getCoreApi();
    const project = await core.getProject(name);
    if (!project?.id || !project.name) return undefined;
    return {
      id: project.id,
      name: project.name,
      state: String(project.state ?? "wellFormed"),
      ...(project.description ? { description: project.description } : {}),
    };
  };

  /** Polls until the project is usable (a run interrupted during creation leaves it pending). */
  const waitWellFormed = async (ctx: StepContext, started: number): Promise<ObservedProjectDetail> => {
    for (;;) {
      const p = await read();
      if (p && isReady(p)) return p;
      if (Date.now() - started > CREATE_DEADLINE_MS) {
        throw new UserError(
          `project ${name} is still not ready after ${CREATE_DEADLINE_MS / 60_000} minutes (state: ${p?.state ?? "absent"})`,
          "Rerun later: the project is used once Azure DevOps has finished creating it.",
        );
      }
      ctx.progress(
        `waiting for the project: ${p?.state ?? "absent"}, ${Math.round((Date.now() - started) / 1000)}s`,
      );
      await wait(deps.target.pollIntervalMs, ctx.signal);
    }
  };

  const defaultProcessId = async (): Promise<string> => {
    const res = await deps.devops.rest<{ value?: { id: string; isDefault?: boolean }[] }>(
      "GET",
      "_apis/process/processes?api-version=7.1",
    );
    return res.status === 200
      ? (res.body.value?.find((p) => p.isDefault)?.id ?? AGILE_PROCESS_ID)
      : AGILE_PROCESS_ID;
  };

  return {
    id: ids.devops.project,
    title: `Azure DevOps project ${name}`,
    group: "devops",
    dependsOn: opts.afterSignIn ? [ids.preflight.devopsAuth] : [],
    detect: () => doing(`reading Azure DevOps project ${name} in ${org}`, read),
    diff(observed) {
      if (observed && !isReady(observed)) {
        return {
          kind: "update",
          fields: [{ field: "state", from: observed.state, to: "wellFormed" }],
          notes: ["wait for creation to finish"],
        };
      }
      if (observed) return { kind: "noop" };
      if (!deps.answers.devops.createProject) {
        // Plan still shows the gap; apply refuses with the fix.
        return { kind: "create", summary: `project ${name} does not exist and createProject is false` };
      }
      return { kind: "create", summary: `create project ${name} (Git; private, the service default)` };
    },
    teardown: {
      owned: (o) => isManaged(o.description),
      note: "with its repository, pipelines and everything in it; restorable for 28 days (Organization settings > Projects)",
      remove: (o, ctx) =>
        doing(`deleting Azure DevOps project ${o.name}`, async () => {
          const core = await (await deps.devops.api()).getCoreApi();
          const op = await core.queueDeleteProject(o.id);
          const started = Date.now();
          while (op?.id) {
            const res = await deps.devops.rest<Operation>("GET", `_apis/operations/${op.id}?api-version=7.1`);
            if (res.status === 404 || res.body.status === "succeeded") return;
            if (res.body.status === "failed" || res.body.status === "cancelled") {
              throw new UserError(
                `project deletion ${res.body.status}`,
                "Delete it in Azure DevOps, then rerun destroy.",
              );
            }
            if (Date.now() - started > CREATE_DEADLINE_MS)
              throw new UserError("project deletion did not finish", "Rerun destroy later.");
            ctx.progress(`deleting project: ${res.body.status}`);
            await wait(deps.target.pollIntervalMs, ctx.signal);
          }
        }),
    },
    async apply(_change, observed, ctx) {
      if (observed)
        return doing(`waiting for Azure DevOps project ${name}`, () => waitWellFormed(ctx, Date.now()));
      if (!deps.answers.devops.createProject) {
        throw new UserError(
          `Azure DevOps project "${name}" does not exist in ${org}`,
          "Create it in Azure DevOps (or ask an organization administrator), or set devops.createProject: true in the answers, then rerun.",
        );
      }
      return doing(`creating Azure DevOps project ${name} in ${org}`, async () => {
        const core = await (await deps.devops.api()).getCoreApi();
        const op = await core.queueCreateProject({
          name,
          description: MANAGED_DESCRIPTION,
          capabilities: {
            versioncontrol: { sourceControlType: "Git" },
            processTemplate: { templateTypeId: await defaultProcessId() },
          },
        });
        if (!op?.id) throw new Error("the service returned no operation to follow");
        const started = Date.now();
        for (;;) {
          const res = await deps.devops.rest<Operation>("GET", `_apis/operations/${op.id}?api-version=7.1`);
          const status = res.status === 200 ? res.body.status : "queued";
          if (status === "succeeded") break;
          if (status === "failed" || status === "cancelled") {
            throw new UserError(
              `project creation ${status}${res.body.resultMessage ? `: ${res.body.resultMessage}` : ""}`,
              "Check the organization's project limits and your permission to create projects, then rerun.",
            );
          }
          if (Date.now() - started > CREATE_DEADLINE_MS) {
            throw new UserError(
              `project creation did not finish within ${CREATE_DEADLINE_MS / 60_000} minutes (last status: ${status})`,
              "Rerun later: the project is detected once Azure DevOps has finished creating it.",
            );
          }
          ctx.progress(`creating project: ${status}, ${Math.round((Date.now() - started) / 1000)}s`);
          await wait(deps.target.pollIntervalMs, ctx.signal);
        }
        return waitWellFormed(ctx, started);
      });
    },
  };
}
