import type { IGitApi } from "azure-devops-node-api/GitApi.js";
import { UserError, wrapError } from "../../src/engine/errors.js";
import type { Change, Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import type { ObservedRepository } from "../observed.js";
import {
  dockerfilePath,
  fileDiffs,
  keptNotes,
  pathsToRead,
  planFiles,
  UPDATE_BRANCH_PREFIX,
  updateBranchName,
  type FilePlan,
} from "./file-plan.js";
import { parseHeader } from "./managed-file.js";
import { chooseStack, type StackChoice } from "./stack/choose.js";
import { detectRepoStack, type RepoVersion } from "./stack/read-repo.js";
import type { StackDetection } from "./stack/types.js";
import {
  activePullRequests,
  branchHead,
  branchIsProtected,
  gitErrorCode,
  openPullRequest,
  pushCommit,
  ZERO_OBJECT_ID,
  type PullRequestRef,
  type RepoLocation,
} from "./repo-git.js";
import type { TemplateInput } from "./template-input.js";

/** What the repo step observes on the default branch. File contents are config, never secrets. */
export interface ObservedRepoFiles {
  readonly repositoryId: string;
  /** Short name, e.g. `main`. */
  readonly branch: string;
  /** Head commit of the default branch, when read (always in apply); absent in an empty repository. */
  readonly head?: string;
  /** The repository has no commits yet: the first push creates the branch. */
  readonly empty: boolean;
  /** Content of each path aks-bootstrap may write that exists at the head. */
  readonly files: Readonly<Record<string, string>>;
  /**
   * An enabled, blocking policy protects the branch: changes go through a pull request.
   * Not read (false) when every file is up to date.
   */
  readonly branchProtected: boolean;
  /** Active pull requests from aks-bootstrap's update branches (not read, [] when up to date). */
  readonly pullRequests: readonly PullRequestRef[];
  /** The stack the files are generated for (detected from the repository, or from the answers). */
  readonly choice: StackChoice;
}

/** The generated pipelines, manifests and (when there is no app yet) the starter app. */
export function filesStep(deps: StepDeps): Step<ObservedRepoFiles> {
  /**
   * The pipelines trigger on the branch the repository really uses: when the answers' branch
   * does not exist in a repository with history, the repository step keeps the existing default.
   */
  const inputFor = (branch: string | undefined, choice: StackChoice): TemplateInput => {
    const { answers, names } = deps;
    if (!branch || branch === answers.devops.defaultBranch) return { answers, names, choice };
    return { answers: { ...answers, devops: { ...answers.devops, defaultBranch: branch } }, names, choice };
  };
  const dockerfile = dockerfilePath({ answers: deps.answers, names: deps.names });
  const chooseFor = (detection: StackDetection, userDockerfile: boolean) =>
    chooseStack(deps.answers.stack, detection, {
      starterApp: deps.answers.pipeline.starterApp,
      repository: deps.answers.devops.repository,
      userDockerfile,
      dockerfile,
    });
  /** A repository that does not exist yet, or has no commits: the answers' stack or the starter app. */
  const emptyChoice = () => chooseFor({ kind: "empty", dockerfile: false }, false);
  const project = deps.answers.devops.project;
  const options = { replaceEditedFiles: deps.options.replaceEditedFiles };

  /**
   * A repository with commits: one listing of its tree, the stack from it, then only the files
   * that exist and matter (the stack's manifests, the Dockerfile, what aks-bootstrap may write).
   * A Dockerfile without aks-bootstrap's header is the team's own: kept, used, never managed.
   */
  const readRepository = async (git: IGitApi, at: RepoLocation, version: RepoVersion) => {
    const { detection, snapshot } = await detectRepoStack(git, at, version, dockerfile);
    const own = detection.dockerfile ? await snapshot.read(dockerfile) : undefined;
    const choice = chooseFor(detection, own !== undefined && parseHeader(own) === undefined);
    const wanted = pathsToRead(inputFor(at.branch, choice));
    await snapshot.readMany(wanted);
    const files = Object.fromEntries(
      wanted.flatMap((p) => {
        const text = snapshot.contents.get(p);
        return text === undefined ? [] : [[p, text] as const];
      }),
    );
    return { choice, files };
  };

  /**
   * Detect (`detecting`): trusts the repository step's view (empty or not, heads it happened to
   * read) and reads the files at the branch tip by name, so a converged rerun reads each file
   * once and nothing else. Apply resolves the head commit first, to push on top of it.
   */
  const read = async (
    repo: ObservedRepository,
    detecting = false,
    knownHeads?: Readonly<Record<string, string>>,
  ): Promise<ObservedRepoFiles> => {
    const api = await deps.devops.api();
    const [git, policy] = await Promise.all([api.getGitApi(), api.getPolicyApi()]);
    const at: RepoLocation = { project, repositoryId: repo.id, branch: repo.defaultBranch };
    const head = knownHeads?.[repo.defaultBranch] ?? (detecting ? undefined : await branchHead(git, at));
    const empty = detecting ? repo.empty && !head : !head;
    const { choice, files } = empty
      ? { choice: emptyChoice(), files: {} }
      : await readRepository(git, at, head ?? { branch: repo.defaultBranch });
    const input = inputFor(repo.defaultBranch, choice);
    // Branch protection and open update pull requests only matter when something must be
    // written; a converged rerun skips both reads (one read per managed file).
    const writes = planFiles(input, { files }, options).writes.length > 0;
    const [branchProtected, pullRequests] = writes
      ? await Promise.all([
          branchIsProtected(policy, at, repo.defaultBranch),
          empty ? Promise.resolve([]) : activePullRequests(git, at, UPDATE_BRANCH_PREFIX),
        ])
      : [false, []];
    return {
      repositoryId: repo.id,
      branch: repo.defaultBranch,
      ...(head ? { head } : {}),
      empty,
      files,
      branchProtected,
      pullRequests,
      choice,
    };
  };

  const repository = (ctx: StepContext) => ctx.observed<ObservedRepository>(ids.devops.repository);

  /** A pull request already carries exactly these changes. */
  const pendingPullRequest = (observed: ObservedRepoFiles, plan: FilePlan) =>
    observed.pullRequests.find((p) => p.sourceBranch === updateBranchName(plan));

  async function viaPullRequest(
    git: IGitApi,
    at: RepoLocation,
    observed: ObservedRepoFiles,
    plan: FilePlan,
    ctx: StepContext,
  ) {
    const existing = pendingPullRequest(observed, plan);
    if (existing) {
      ctx.log(`pull request #${existing.id} already carries these changes`);
      return observed;
    }
    if (!observed.head) {
      throw new UserError(
        `branch ${at.branch} is protected by a policy but has no commits, so no pull request can target it`,
        "Remove the branch policy or push an initial commit, then rerun.",
      );
    }
    const branch = updateBranchName(plan);
    // The branch name is a hash of the changes: if it exists, it already holds them (a crash
    // between push and pull request); open the pull request from it.
    if (!(await branchHead(git, at, branch))) {
      ctx.progress(`pushing ${plan.writes.length} files to ${branch}`);
      await pushCommit(git, at, branch, observed.head, changesOf(plan), commitMessage(plan));
    }
    const pr = await openPullRequest(
      git,
      at,
      branch,
      "aks-bootstrap: update generated pipelines and manifests",
      `${at.branch} is protected by a branch policy, so aks-bootstrap proposes these changes:\n\n${plan.writes
        .map((w) => `- ${w.path} (${w.action})`)
        .join("\n")}`,
    );
    ctx.log(`opened pull request #${pr.id} from ${branch}: ${at.branch} is protected by a branch policy`);
    return { ...observed, pullRequests: [...observed.pullRequests, pr] };
  }

  return {
    id: ids.repo.files,
    title: `Pipeline and manifest files in ${deps.answers.devops.repository}`,
    group: "repo",
    dependsOn: [ids.devops.repository],

    async detect(ctx) {
      const repo = repository(ctx);
      if (!repo) return undefined;
      try {
        return await read(repo, true, (repo as { heads?: Readonly<Record<string, string>> }).heads);
      } catch (err) {
        throw wrapError(`reading repository ${repo.name} (the app's stack and the generated files)`, err);
      }
    },

    diff(observed): Change {
      const choice = observed?.choice ?? emptyChoice();
      const plan = planFiles(inputFor(observed?.branch, choice), { files: observed?.files ?? {} }, options);
      // What the files are generated for (the stack, detected or chosen), then what is kept.
      const notes = [...choice.notes, ...keptNotes(plan)];
      if (plan.writes.length === 0) return { kind: "noop", notes };
      if (observed) {
        const pr = pendingPullRequest(observed, plan);
        if (pr)
          return {
            kind: "noop",
            notes: [...notes, `waiting for pull request #${pr.id} (${pr.sourceBranch}) to be completed`],
          };
        if (observed.branchProtected)
          notes.push(
            `${observed.branch} is protected by a branch policy: the changes go through a pull request`,
          );
      }
      if (!observed || observed.empty) {
        return {
          kind: "create",
          summary: `push ${plan.writes.map((w) => w.path).join(", ")}`,
          ...(notes.length ? { notes } : {}),
        };
      }
      return { kind: "update", fields: fileDiffs(plan), ...(notes.length ? { notes } : {}) };
    },

    async apply(change, _observed, ctx) {
      const repo = repository(ctx);
      if (!repo) throw new Error("the repository is not available (its step did not produce it)");
      const doing = `pushing the generated files to ${repo.name}/${repo.defaultBranch}`;
      try {
        const git = await (await deps.devops.api()).getGitApi();
        const at: RepoLocation = { project, repositoryId: repo.id, branch: repo.defaultBranch };
        // Re-read rather than trust the plan: apply must be safe to repeat, and the branch may
        // have moved since detect. One retry when someone pushed in between (stale ref).
        for (let attempt = 0; ; attempt++) {
          const observed = await read(repo);
          const plan = planFiles(inputFor(repo.defaultBranch, observed.choice), observed, options);
          for (const note of keptNotes(plan)) ctx.log(note, "warn");
          if (plan.writes.length === 0 || change.kind === "noop") return observed;
          if (observed.branchProtected) return await viaPullRequest(git, at, observed, plan, ctx);
          try {
            ctx.progress(`pushing ${plan.writes.length} files`);
            const commit = await pushCommit(
              git,
              at,
              at.branch,
              observed.head ?? ZERO_OBJECT_ID,
              changesOf(plan),
              commitMessage(plan),
            );
            ctx.log(
              `pushed ${plan.writes.length} files to ${at.branch}${commit ? ` (${commit.slice(0, 8)})` : ""}`,
            );
            const files = {
              ...observed.files,
              ...Object.fromEntries(plan.writes.map((w) => [w.path, w.content])),
            };
            return { ...observed, ...(commit ? { head: commit } : {}), files };
          } catch (err) {
            const code = gitErrorCode(err);
            if (code === "policy-rejected")
              return await viaPullRequest(git, at, { ...observed, branchProtected: true }, plan, ctx);
            if (code === "stale-ref" && attempt === 0) {
              ctx.log(`${at.branch} moved while pushing; reading it again`);
              continue;
            }
            if (code === "stale-ref") {
              throw new UserError(
                `${at.branch} keeps moving while aks-bootstrap pushes to it`,
                "Rerun when no one else is pushing.",
                {
                  cause: err,
                },
              );
            }
            throw err;
          }
        }
      } catch (err) {
        throw wrapError(doing, err);
      }
    },
  };
}

function changesOf(plan: FilePlan) {
  // An edited or updated file exists at the parent commit; an added one does not.
  return plan.writes.map((w) => ({
    path: w.path,
    content: w.content,
    kind: w.action === "add" ? ("add" as const) : ("edit" as const),
  }));
}

function commitMessage(plan: FilePlan): string {
  const adds = plan.writes.filter((w) => w.action === "add").length;
  const title =
    adds === plan.writes.length
      ? plan.starterApp
        ? "aks-bootstrap: add pipelines, Kubernetes manifests and a starter app"
        : "aks-bootstrap: add pipelines and Kubernetes manifests"
      : "aks-bootstrap: update generated pipelines and manifests";
  return `${title}\n\n${plan.writes.map((w) => `${w.action}: ${w.path}`).join("\n")}\n`;
}
