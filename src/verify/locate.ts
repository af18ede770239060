import { UserError } from "../engine/errors.js";
import { fullRef } from "../../steps/repo/repo-git.js";
import type { VerifyContext } from "./context.js";

/** Project, repository and pipeline ids; refuses clearly when `apply` has not run. */
export async function locate(ctx: VerifyContext): Promise<void> {
  const { answers, names } = ctx.deps;
  const project = await ctx.runs.project(answers.devops.project);
  if (!project?.id) {
    throw new UserError(
      `Azure DevOps project ${answers.devops.project} was not found in ${ctx.deps.devops.organizationUrl}`,
      "Run `aks-bootstrap apply` first: verify exercises what apply set up.",
    );
  }
  const repo = await ctx.runs.repository(project.id, answers.devops.repository);
  if (!repo?.id) {
    throw new UserError(
      `Repository ${answers.devops.repository} was not found in project ${answers.devops.project}`,
      "Run `aks-bootstrap apply` first: verify exercises what apply set up.",
    );
  }
  const pipelineIds = await Promise.all(
    [names.pipelinePr, names.pipelineCi, names.pipelineCd].map(async (n) => ({
      name: n,
      id: await ctx.runs.definitionId(project.id!, n),
    })),
  );
  const missing = pipelineIds.filter((p) => p.id === undefined).map((p) => p.name);
  if (missing.length > 0) {
    throw new UserError(
      `Pipeline(s) ${missing.join(", ")} not found in project ${answers.devops.project}`,
      "Run `aks-bootstrap apply` first: it creates the PR, CI and CD pipelines.",
    );
  }
  const [pr, ci, cd] = pipelineIds.map((p) => p.id!) as [number, number, number];
  const org = ctx.deps.devops.organizationUrl;
  ctx.found.located = {
    projectId: project.id,
    projectName: project.name ?? answers.devops.project,
    repositoryId: repo.id,
    repositoryName: repo.name ?? answers.devops.repository,
    repositoryWeb:
      repo.webUrl ??
      `${org}/${encodeURIComponent(answers.devops.project)}/_git/${encodeURIComponent(answers.devops.repository)}`,
    defaultBranch: (repo.defaultBranch ?? fullRef(answers.devops.defaultBranch)).replace(
      /^refs\/heads\//,
      "",
    ),
  };
  ctx.found.pipelines = { pr, ci, cd };
}
