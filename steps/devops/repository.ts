import { UserError } from "../../src/engine/errors.js";
import type { Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids } from "../ids.js";
import type { ObservedRepository } from "../observed.js";
import { doing, fullRef, projectOf, requireProject, shortBranch } from "./common.js";

/**
 * What the repository step publishes. `defaultBranch` is a short name (`main`): the
 * repository's own default once it has commits, else the answers' (the first push sets it).
 */
export interface ObservedRepositoryDetail extends ObservedRepository {
  /** Short names of the existing branches. */
  readonly branches: readonly string[];
  /** The repository's default branch as the service reports it (short name), if any. */
  readonly serviceDefaultBranch?: string;
  /** Head commit of each branch (short name), as read with the branch list. */
  readonly heads?: Readonly<Record<string, string>>;
}

/** Detects the Git repository; creates it when the answers allow; aligns its default branch with the answers. */
export function repositoryStep(deps: StepDeps): Step<ObservedRepositoryDetail> {
  const name = deps.answers.devops.repository;
  const wanted = deps.answers.devops.defaultBranch;

  const read = async (projectId: string): Promise<ObservedRepositoryDetail | undefined> => {
    const git = await (await deps.devops.api()).getGitApi();
    const repo = await git.getRepository(name, projectId);
    if (!repo?.id || !repo.name) return undefined;
    const serviceDefault = repo.defaultBranch ? shortBranch(repo.defaultBranch) : undefined;
    // The service names a default branch once the repository has commits. The branch list is
    // read only when that default is not the answers' branch (to know whether the wanted one
    // exists), so a converged rerun reads the repository once.
    const refs =
      serviceDefault && serviceDefault !== wanted
        ? ((await git.getRefs(repo.id, projectId, "heads/")) ?? [])
        : [];
    const listed = refs.map((r) => shortBranch(r.name ?? "")).filter((b) => b !== "");
    const branches =
      serviceDefault && !listed.includes(serviceDefault) ? [serviceDefault, ...listed] : listed;
    const empty = !serviceDefault;
    const heads = Object.fromEntries(
      refs.filter((r) => r.name && r.objectId).map((r) => [shortBranch(r.name!), r.objectId!]),
    );
    return {
      heads,
      id: repo.id,
      name: repo.name,
      empty,
      branches,
      defaultBranch: !empty && serviceDefault ? serviceDefault : wanted,
      ...(serviceDefault ? { serviceDefaultBranch: serviceDefault } : {}),
    };
  };

  /** The answers' branch exists but is not the default: make it the default. */
  const needsDefaultSwitch = (o: ObservedRepositoryDetail) =>
    !o.empty && o.defaultBranch !== wanted && o.branches.includes(wanted);

  return {
    id: ids.devops.repository,
    title: `Git repository ${name}`,
    group: "devops",
    dependsOn: [ids.devops.project],
    async detect(ctx: StepContext) {
      const project = projectOf(ctx);
      if (!project) return undefined;
      return doing(`reading Git repository ${name} in project ${project.name}`, () => read(project.id));
    },
    diff(observed) {
      if (!observed) {
        return deps.answers.devops.createRepository
          ? { kind: "create", summary: `create repository ${name}` }
          : { kind: "create", summary: `repository ${name} does not exist and createRepository is false` };
      }
      if (needsDefaultSwitch(observed)) {
        return {
          kind: "update",
          fields: [{ field: "defaultBranch", from: observed.defaultBranch, to: wanted }],
        };
      }
      if (!observed.empty && observed.defaultBranch !== wanted) {
        return {
          kind: "noop",
          notes: [
            `the answers name branch ${wanted}, which does not exist; the repository's default branch ${observed.defaultBranch} is used`,
          ],
        };
      }
      return { kind: "noop" };
    },
    async apply(change, observed, ctx) {
      const project = requireProject(ctx);
      if (change.kind === "create") {
        if (!deps.answers.devops.createRepository) {
          throw new UserError(
            `Git repository "${name}" does not exist in project ${project.name}`,
            "Create it in Azure Repos, or set devops.createRepository: true in the answers, then rerun.",
          );
        }
        return doing(`creating Git repository ${name} in project ${project.name}`, async () => {
          const git = await (await deps.devops.api()).getGitApi();
          await git.createRepository({ name, project: { id: project.id } }, project.id);
          const created = await read(project.id);
          if (!created) throw new Error("the repository was created but cannot be read back");
          return created;
        });
      }
      if (observed && needsDefaultSwitch(observed)) {
        return doing(`setting the default branch of ${name} to ${wanted}`, async () => {
          const git = await (await deps.devops.api()).getGitApi();
          await git.updateRepository({ defaultBranch: fullRef(wanted) }, observed.id, project.id);
          return { ...observed, defaultBranch: wanted, serviceDefaultBranch: wanted };
        });
      }
      return undefined;
    },
  };
}
