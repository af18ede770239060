import {
  GitVersionType,
  ItemContentType,
  VersionControlChangeType,
} from "azure-devops-node-api/interfaces/GitInterfaces.js";
import type { PolicyConfiguration } from "azure-devops-node-api/interfaces/PolicyInterfaces.js";
import { DevopsHttpError } from "../../clients/devops.js";
import { missing, type DriftContext } from "./context.js";
import { projectId } from "./devops.js";

/** The generated file a colleague edits by hand. */
export const EDITED_FILE = ".azure-pipelines/ci.yml";
const EDIT = "# Edited by hand: also run on release branches (a colleague's change)\n";

type Git = Awaited<ReturnType<Awaited<ReturnType<DriftContext["devops"]["api"]>>["getGitApi"]>>;

/**
 * A colleague edits a generated YAML file and pushes it to the default branch. When a blocking
 * branch policy refuses the push (as it should), they do what someone with "bypass policies"
 * rights does in the portal: switch the blocking policies off, push, switch them back on, so
 * only the file differs afterwards.
 */
export async function editGeneratedFile(c: DriftContext): Promise<string> {
  const project = await projectId(c, "edited-file");
  const web = await c.devops.api();
  const git = await web.getGitApi();
  const repo = await git.getRepository(c.answers.devops.repository, project);
  if (!repo?.id || !repo.defaultBranch)
    throw missing(`repository ${c.answers.devops.repository}`, "edited-file");
  const branch = repo.defaultBranch.replace(/^refs\/heads\//, "");
  const item = await git.getItem(
    repo.id,
    `/${EDITED_FILE}`,
    project,
    undefined,
    undefined,
    false,
    false,
    false,
    { version: branch, versionType: GitVersionType.Branch },
    true,
  );
  if (item?.content === undefined) throw missing(`file ${EDITED_FILE}`, "edited-file");
  const edited = `${item.content.replace(/\n?$/, "\n")}${EDIT}`;
  const push = () => pushEdit(git, repo.id!, project, repo.defaultBranch!, edited);
  try {
    await push();
  } catch (err) {
    if (!(err instanceof DevopsHttpError) || !/TF402455/.test(err.message)) throw err;
    await withPoliciesOff(c, project, repo.id, push);
  }
  return `repository ${repo.name ?? c.answers.devops.repository}: file ${EDITED_FILE} generated -> edited by a user (pushed to ${branch})`;
}

async function pushEdit(
  git: Git,
  repoId: string,
  project: string,
  ref: string,
  content: string,
): Promise<void> {
  const refs = await git.getRefs(repoId, project, ref.replace(/^refs\//, ""));
  const head = refs.find((r) => r.name === ref)?.objectId;
  await git.createPush(
    {
      refUpdates: [{ name: ref, ...(head ? { oldObjectId: head } : {}) }],
      commits: [
        {
          comment: "Tweak CI triggers",
          changes: [
            {
              changeType: VersionControlChangeType.Edit,
              item: { path: `/${EDITED_FILE}` },
              newContent: { content, contentType: ItemContentType.RawText },
            },
          ],
        },
      ],
    },
    repoId,
    project,
  );
}

/** Turns the repository's enabled blocking policies off around `work`, and back on after it. */
async function withPoliciesOff(
  c: DriftContext,
  project: string,
  repoId: string,
  work: () => Promise<void>,
): Promise<void> {
  const policy = await (await c.devops.api()).getPolicyApi();
  const blocking = ((await policy.getPolicyConfigurations(project)) ?? []).filter(
    (p) => p.isEnabled && p.isBlocking && !p.isDeleted && appliesTo(p, repoId),
  );
  for (const p of blocking)
    await policy.updatePolicyConfiguration({ ...p, isEnabled: false }, project, p.id!);
  try {
    await work();
  } finally {
    for (const p of blocking)
      await policy.updatePolicyConfiguration({ ...p, isEnabled: true }, project, p.id!);
  }
}

function appliesTo(p: PolicyConfiguration, repoId: string): boolean {
  const scopes = (p.settings as { scope?: { repositoryId?: string | null }[] } | undefined)?.scope ?? [];
  return scopes.some((s) => !s.repositoryId || s.repositoryId.toLowerCase() === repoId.toLowerCase());
}
