import { UserError } from "../../engine/errors.js";
import type { EngineEvent, Step } from "../../engine/types.js";
import type { CliArgs } from "../args.js";
import type { CliIo } from "../main.js";
import { openSession } from "../session.js";

/**
 * `sandbox seed-repo --stack S [--with-dockerfile] [--dir D] [--project P] [--repository R]`:
 * a team's existing app in the sandbox's repository, before aks-bootstrap comes along. The
 * project and repository are made by aks-bootstrap's own steps, the files pushed with the Git
 * pushes API, so `apply --sandbox` then detects the app's stack as it would in Azure Repos.
 */
export async function seedRepoCommand(args: CliArgs, io: CliIo, dir: string): Promise<number> {
  const [{ startSandbox }, { sampleAppFiles, sampleDescriptions, sampleStacks }] = await Promise.all([
    import("../../sandbox/index.js"),
    import("../../sandbox/sample-apps.js"),
  ]);
  const stack = args.stack;
  if (!stack || !(sampleStacks as readonly string[]).includes(stack)) {
    throw new UserError(
      stack ? `Unknown sample stack "${stack}" for --stack` : "sandbox seed-repo needs --stack",
      `Use --stack ${sampleStacks.join(", --stack ")}.`,
    );
  }
  const [{ applyRun }, { projectStep }, { repositoryStep }, { ids }, git] = await Promise.all([
    import("../../engine/runner.js"),
    import("../../../steps/devops/project.js"),
    import("../../../steps/devops/repository.js"),
    import("../../../steps/ids.js"),
    import("../../../steps/repo/repo-git.js"),
  ]);
  const sandbox = await startSandbox({ dir, ...(args.speed !== undefined ? { speed: args.speed } : {}) });
  try {
    const session = await openSession({ ...args, sandbox: dir }, io, { sandbox });
    const { answers, deps } = session;
    const errors: string[] = [];
    const onEvent = (e: EngineEvent) => {
      if (e.type === "step-status" && e.error) errors.push(e.error.message);
    };
    const result = await applyRun([projectStep(deps) as Step, repositoryStep(deps) as Step], { onEvent });
    if (result.outcome !== "succeeded")
      throw new UserError(
        `could not create the sandbox repository: ${errors.join("; ")}`,
        "Rerun with --debug.",
      );
    const repo = result.observed.get(ids.devops.repository) as {
      id: string;
      empty: boolean;
      defaultBranch: string;
    };
    if (!repo.empty) {
      throw new UserError(
        `repository ${answers.devops.repository} in the sandbox already has commits`,
        "Seed a fresh sandbox (`--dir` another folder, or delete it), or name another `--repository`.",
      );
    }
    const files = sampleAppFiles(stack as (typeof sampleStacks)[number], args.withDockerfile);
    const gitApi = await (await deps.devops.api()).getGitApi();
    const at = { project: answers.devops.project, repositoryId: repo.id, branch: repo.defaultBranch };
    await git.pushCommit(
      gitApi,
      at,
      at.branch,
      git.ZERO_OBJECT_ID,
      Object.entries(files).map(([path, content]) => ({ path, content, kind: "add" as const })),
      `Existing app: ${sampleDescriptions[stack as (typeof sampleStacks)[number]]}`,
    );
    io.stdout.write(
      `${JSON.stringify(
        {
          project: answers.devops.project,
          repository: answers.devops.repository,
          branch: at.branch,
          stack,
          description: sampleDescriptions[stack as (typeof sampleStacks)[number]],
          files: Object.keys(files),
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  } finally {
    await sandbox.close();
  }
}
