import type { DriftContext } from "./context.js";
import { missing } from "./context.js";

/** The Approval check type (the same id in every organization). */
const APPROVAL_CHECK_TYPE_ID = "8c6f20a7-a545-4486-9777-f762fafe0d4d";
/** Build validation policy type. */
const BUILD_POLICY_TYPE_ID = "0609b952-1397-4640-95ec-e00a01b2c241";
const CHECKS_API = "api-version=7.2-preview.1";

export async function projectId(c: DriftContext, kind: string): Promise<string> {
  const core = await (await c.devops.api()).getCoreApi();
  const project = await core.getProject(c.answers.devops.project);
  if (!project?.id) throw missing(`project ${c.answers.devops.project}`, kind);
  return project.id;
}

async function environment(c: DriftContext, project: string, name: string, kind: string) {
  const agent = await (await c.devops.api()).getTaskAgentApi();
  const env = ((await agent.getEnvironments(project, name)) ?? []).find((e) => e.name === name);
  if (!env?.id) throw missing(`environment ${name}`, kind);
  return { agent, env: { id: env.id, name } };
}

/** Someone deletes the staging connection ("we'll make a new one"); its federation subject goes with it. */
export async function deleteServiceConnection(c: DriftContext): Promise<string> {
  const project = await projectId(c, "service-connection");
  const api = await (await c.devops.api()).getServiceEndpointApi();
  const name = c.names.connectionStaging;
  const found = ((await api.getServiceEndpointsByNames(project, [name])) ?? []).find((e) => e.name === name);
  if (!found?.id) throw missing(`service connection ${name}`, "service-connection");
  await api.deleteServiceEndpoint(found.id, [project]);
  return `service connection ${name}: present -> deleted`;
}

/** Someone removes the production Approval check to ship on a Friday evening. */
export async function removeApprovalCheck(c: DriftContext): Promise<string> {
  const project = await projectId(c, "approval-check");
  const { env } = await environment(c, project, c.names.environmentProd, "approval-check");
  const res = await c.devops.rest<{ value?: { id: number; type?: { id?: string } }[] }>(
    "GET",
    `${project}/_apis/pipelines/checks/configurations?resourceType=environment&resourceId=${env.id}&${CHECKS_API}`,
  );
  const check = (res.body?.value ?? []).find((v) => v.type?.id === APPROVAL_CHECK_TYPE_ID);
  if (!check) throw missing(`the Approval check on environment ${env.name}`, "approval-check");
  await c.devops.rest("DELETE", `${project}/_apis/pipelines/checks/configurations/${check.id}?${CHECKS_API}`);
  return `environment ${env.name}: Approval check present -> removed`;
}

/** Someone turns off build validation on the default branch because the PR pipeline "was flaky". */
export async function disableBranchPolicy(c: DriftContext): Promise<string> {
  const project = await projectId(c, "branch-policy");
  const policy = await (await c.devops.api()).getPolicyApi();
  const all = (await policy.getPolicyConfigurations(project, undefined, BUILD_POLICY_TYPE_ID)) ?? [];
  const build = all.find(
    (p) => p.type?.id?.toLowerCase() === BUILD_POLICY_TYPE_ID && !p.isDeleted && p.isEnabled,
  );
  if (!build?.id) throw missing("an enabled build validation policy", "branch-policy");
  await policy.updatePolicyConfiguration({ ...build, isEnabled: false }, project, build.id);
  const label = (build.settings as { displayName?: string } | undefined)?.displayName ?? `#${build.id}`;
  return `branch policy ${label} (build validation): isEnabled true -> false`;
}

/** Someone points staging at "their" cluster by editing the plain variable group. */
export async function editVariableGroup(c: DriftContext): Promise<string> {
  const project = await projectId(c, "variable-group");
  const agent = await (await c.devops.api()).getTaskAgentApi();
  const name = c.names.variableGroupStaging;
  const group = ((await agent.getVariableGroups(project, name)) ?? []).find((g) => g.name === name);
  if (!group?.id) throw missing(`variable group ${name}`, "variable-group");
  const key = "clusterName";
  const before = group.variables?.[key]?.value;
  const after = "someone-elses-cluster";
  await agent.updateVariableGroup(
    {
      name: group.name,
      type: group.type,
      description: group.description,
      variables: { ...group.variables, [key]: { value: after } },
      variableGroupProjectReferences: group.variableGroupProjectReferences,
    },
    group.id,
  );
  return `variable group ${name}: variables.${key} ${before ?? "(absent)"} -> ${after}`;
}

/** Someone deletes the staging environment (its deployment history "cluttered the list"). */
export async function deleteEnvironment(c: DriftContext): Promise<string> {
  const project = await projectId(c, "environment");
  const { agent, env } = await environment(c, project, c.names.environmentStaging, "environment");
  await agent.deleteEnvironment(project, env.id);
  return `environment ${env.name}: present -> deleted`;
}

/** Someone points the CI pipeline at another YAML file (the PR one) while experimenting. */
export async function repointPipeline(c: DriftContext): Promise<string> {
  const project = await projectId(c, "pipeline-path");
  const build = await (await c.devops.api()).getBuildApi();
  const name = c.names.pipelineCi;
  const found = ((await build.getDefinitions(project, name)) ?? []).find((d) => d.name === name);
  if (!found?.id) throw missing(`pipeline ${name}`, "pipeline-path");
  const def = await build.getDefinition(project, found.id);
  const process = (def.process ?? {}) as { type?: number; yamlFilename?: string };
  const before = process.yamlFilename ?? "(none)";
  const after = ".azure-pipelines/pr.yml";
  await build.updateDefinition(
    { ...def, process: { ...process, yamlFilename: after } as never },
    project,
    found.id,
  );
  return `pipeline ${name}: process.yamlFilename ${before} -> ${after}`;
}

/**
 * Someone revokes the CD pipeline's permission on the production environment ("only
 * releases should deploy there"): the next CD run waits for permission at production.
 */
export async function revokePipelinePermission(c: DriftContext): Promise<string> {
  const kind = "pipeline-permission";
  const project = await projectId(c, kind);
  const { env } = await environment(c, project, c.names.environmentProd, kind);
  const build = await (await c.devops.api()).getBuildApi();
  const name = c.names.pipelineCd;
  const found = ((await build.getDefinitions(project, name)) ?? []).find((d) => d.name === name);
  if (!found?.id) throw missing(`pipeline ${name}`, kind);
  await c.devops.rest(
    "PATCH",
    `${project}/_apis/pipelines/pipelinePermissions/environment/${env.id}?api-version=7.1-preview.1`,
    {
      resource: { type: "environment", id: String(env.id) },
      pipelines: [{ id: found.id, authorized: false }],
    },
  );
  return `environment ${env.name}: pipeline ${name} authorized true -> false`;
}
