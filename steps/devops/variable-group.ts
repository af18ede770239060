import type {
  VariableGroup,
  VariableGroupParameters,
} from "azure-devops-node-api/interfaces/TaskAgentInterfaces.js";
import type { FieldDiff, Step, StepContext } from "../../src/engine/types.js";
import type { StepDeps } from "../deps.js";
import { ids, type Stage } from "../ids.js";
import type {
  ObservedAppInsights,
  ObservedCluster,
  ObservedKeyVault,
  ObservedProject,
  ObservedRegistry,
  ObservedServiceConnection,
} from "../observed.js";
import {
  KNOWN_AFTER_APPLY,
  MANAGED_DESCRIPTION,
  doing,
  isManaged,
  projectOf,
  requireProject,
} from "./common.js";
import { groupVariables as v } from "./variables.js";

export interface ObservedVariableGroup {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  /** Key Vault groups: the connection and vault they read through. */
  readonly serviceEndpointId?: string;
  readonly vault?: string;
  /** Non-secret values by name; secret variables appear with value undefined. */
  readonly variables: Readonly<Record<string, string | undefined>>;
  readonly description?: string;
  readonly raw: VariableGroup;
}

/** What a group should hold; values may be KNOWN_AFTER_APPLY during plan. */
interface DesiredGroup {
  readonly type: "Vsts" | "AzureKeyVault";
  readonly serviceEndpointId?: string;
  readonly vault?: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Key Vault groups: exactly these names (secret values live in the vault). */
  readonly secretNames?: readonly string[];
}

function observe(g: VariableGroup): ObservedVariableGroup {
  const provider = (g.providerData ?? {}) as { serviceEndpointId?: string; vault?: string };
  const variables: Record<string, string | undefined> = {};
  for (const [k, val] of Object.entries(g.variables ?? {}))
    variables[k] = val.isSecret ? undefined : val.value;
  return {
    id: g.id ?? 0,
    name: g.name ?? "",
    type: g.type ?? "Vsts",
    ...(provider.serviceEndpointId ? { serviceEndpointId: provider.serviceEndpointId } : {}),
    ...(provider.vault ? { vault: provider.vault } : {}),
    variables,
    ...(g.description ? { description: g.description } : {}),
    raw: g,
  };
}

function groupDiff(o: ObservedVariableGroup, d: DesiredGroup): FieldDiff[] {
  const out: FieldDiff[] = [];
  const add = (field: string, from: unknown, to: unknown) => {
    if (to !== KNOWN_AFTER_APPLY && JSON.stringify(from) !== JSON.stringify(to))
      out.push({ field, from, to });
  };
  add("type", o.type, d.type);
  if (d.type === "AzureKeyVault") {
    add("providerData.serviceEndpointId", o.serviceEndpointId, d.serviceEndpointId);
    add("providerData.vault", o.vault, d.vault);
    add("variables", Object.keys(o.variables).sort(), [...(d.secretNames ?? [])].sort());
  }
  for (const [k, val] of Object.entries(d.variables)) add(`variables.${k}`, o.variables[k], val);
  return out;
}

function buildParameters(
  name: string,
  project: ObservedProject,
  d: DesiredGroup,
  existing: ObservedVariableGroup | undefined,
): VariableGroupParameters {
  const variables: Record<
    string,
    { value?: string; isSecret?: boolean; enabled?: boolean; contentType?: string }
  > = {};
  if (d.type === "AzureKeyVault") {
    // Names only: the service reads the values from the vault at run time.
    for (const s of d.secretNames ?? []) variables[s] = { isSecret: true, enabled: true, contentType: "" };
  } else {
    // Keep variables someone added by hand; converge ours.
    for (const [k, val] of Object.entries(existing?.raw.variables ?? {})) variables[k] = { ...val };
    for (const [k, val] of Object.entries(d.variables)) variables[k] = { value: val, isSecret: false };
  }
  return {
    name,
    description: MANAGED_DESCRIPTION,
    type: d.type,
    variables,
    ...(d.type === "AzureKeyVault"
      ? {
          providerData: {
            serviceEndpointId: d.serviceEndpointId,
            vault: d.vault,
          } as VariableGroupParameters["providerData"],
        }
      : {}),
    variableGroupProjectReferences: [
      { name, description: MANAGED_DESCRIPTION, projectReference: { id: project.id, name: project.name } },
    ],
  };
}

function variableGroupStep(
  deps: StepDeps,
  opts: {
    id: string;
    name: string;
    title: string;
    dependsOn: string[];
    desired: (ctx: StepContext) => DesiredGroup;
    /** Why the group is not wanted in this run (then it is neither created nor changed). */
    notWanted?: string;
  },
): Step<ObservedVariableGroup> {
  const { name } = opts;
  const find = async (projectId: string) => {
    const agent = await (await deps.devops.api()).getTaskAgentApi();
    const list = (await agent.getVariableGroups(projectId, name)) ?? [];
    const g = list.find((x) => x.name?.toLowerCase() === name.toLowerCase());
    return g ? observe(g) : undefined;
  };
  return {
    id: opts.id,
    title: opts.title,
    group: "devops",
    dependsOn: [ids.devops.project, ...opts.dependsOn],
    async detect(ctx) {
      const project = projectOf(ctx);
      if (!project) return undefined;
      return doing(`reading variable group ${name}`, () => find(project.id));
    },
    diff(observed, ctx) {
      if (opts.notWanted) return { kind: "noop", notes: [opts.notWanted] };
      const d = opts.desired(ctx);
      if (!observed)
        return {
          kind: "create",
          summary: `${d.type === "AzureKeyVault" ? "Key Vault linked" : "plain"} group`,
        };
      const fields = groupDiff(observed, d);
      return fields.length ? { kind: "update", fields } : { kind: "noop" };
    },
    teardown: {
      owned: (o) => isManaged(o.description),
      containedIn: ids.devops.project,
      remove: (o, ctx) =>
        doing(`deleting variable group ${o.name}`, async () => {
          const agent = await (await deps.devops.api()).getTaskAgentApi();
          await agent.deleteVariableGroup(o.id, [requireProject(ctx).id]);
        }),
    },
    async apply(_change, observed, ctx) {
      const project = requireProject(ctx);
      const d = opts.desired(ctx);
      const unknown = Object.entries({ ...d.variables, vault: d.vault, endpoint: d.serviceEndpointId }).find(
        ([, val]) => val === KNOWN_AFTER_APPLY,
      );
      if (unknown)
        throw new Error(`the value of ${unknown[0]} is not available: its step did not produce it`);
      return doing(`${observed ? "updating" : "creating"} variable group ${name}`, async () => {
        const agent = await (await deps.devops.api()).getTaskAgentApi();
        const params = buildParameters(name, project, d, observed);
        const saved = observed
          ? await agent.updateVariableGroup(params, observed.id)
          : await agent.addVariableGroup(params);
        if (!saved?.id) throw new Error("the service returned no variable group");
        return observe(saved);
      });
    },
  };
}

const known = <T, K extends keyof T>(o: T | undefined, k: K): T[K] | string => (o ? o[k] : KNOWN_AFTER_APPLY);

/**
 * APP-ci-secrets: linked to the CI Key Vault through sc-APP-ci, so the CI pipeline reads the
 * secrets at run time and no value is stored in Azure DevOps. Created after the CI identity may
 * read the vault (role assignment) and can sign in (federated credential).
 */
export function secretsVariableGroupStep(deps: StepDeps): Step<ObservedVariableGroup> {
  const connectionId = ids.devops.serviceConnection("ci");
  return variableGroupStep(deps, {
    id: ids.devops.variableGroup("secrets"),
    name: deps.names.variableGroupSecrets,
    title: `Variable group ${deps.names.variableGroupSecrets} (Key Vault)`,
    dependsOn: [
      connectionId,
      ids.azure.keyVault,
      // The secrets it names exist before pipelines can read them through it.
      ids.azure.keyVaultSecrets,
      ids.azure.roleAssignment("ci-kv-secrets-user"),
      ids.azure.federatedCredential("ci"),
    ],
    desired: (ctx) => ({
      type: "AzureKeyVault",
      serviceEndpointId: known(ctx.observed<ObservedServiceConnection>(connectionId), "id"),
      vault: known(ctx.observed<ObservedKeyVault>(ids.azure.keyVault), "name"),
      variables: {},
      secretNames: deps.answers.keyVault.secrets.map((s) => s.name),
    }),
    // The service refuses a linked group without variables, and CI then links none.
    ...(deps.answers.keyVault.secrets.length === 0
      ? { notWanted: "no Key Vault secrets in the answers: no linked group is needed" }
      : {}),
  });
}

/** APP-staging / APP-production: plain configuration the CD pipeline reads for one environment. */
export function environmentVariableGroupStep(deps: StepDeps, stage: Stage): Step<ObservedVariableGroup> {
  const n = deps.names;
  const side = stage === "staging" ? "nonprod" : "prod";
  const registryId = ids.azure.registry(side);
  const nonprodRegistryId = ids.azure.registry("nonprod");
  const clusterId = ids.azure.cluster(stage);
  const insightsId = ids.azure.appInsights(stage);
  const name = stage === "staging" ? n.variableGroupStaging : n.variableGroupProd;
  return variableGroupStep(deps, {
    id: ids.devops.variableGroup(stage),
    name,
    title: `Variable group ${name}`,
    dependsOn: [...new Set([registryId, nonprodRegistryId, clusterId, insightsId])],
    desired: (ctx) => {
      const registry = ctx.observed<ObservedRegistry>(registryId);
      const cluster = ctx.observed<ObservedCluster>(clusterId);
      const variables: Record<string, string> = {
        [v.registryLoginServer]: known(registry, "loginServer"),
        [v.registryName]: known(registry, "name"),
        [v.resourceGroup]: known(cluster, "resourceGroup"),
        [v.clusterName]: known(cluster, "name"),
        [v.namespace]: n.namespace,
        [v.imageRepository]: n.imageRepository,
        [v.appInsightsConnectionString]: known(
          ctx.observed<ObservedAppInsights>(insightsId),
          "connectionString",
        ),
        [v.serviceConnection]: stage === "staging" ? n.connectionStaging : n.connectionProd,
      };
      if (stage === "prod") {
        const source = ctx.observed<ObservedRegistry>(nonprodRegistryId);
        variables[v.prodRegistryName] = known(registry, "name");
        variables[v.sourceRegistryName] = known(source, "name");
        variables[v.sourceRegistryLoginServer] = known(source, "loginServer");
      }
      return { type: "Vsts", variables };
    },
  });
}
