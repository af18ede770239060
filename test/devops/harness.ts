import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";
import { answersSchema, type AnswersInput } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import { createAzureClients } from "../../src/clients/azure.js";
import { createDevopsClients } from "../../src/clients/devops.js";
import type { Target } from "../../src/clients/target.js";
import type { Step } from "../../src/engine/types.js";
import type { StepDeps } from "../../steps/deps.js";
import { ids, type PipelineRole } from "../../steps/ids.js";
import type {
  ObservedAppInsights,
  ObservedCluster,
  ObservedIdentity,
  ObservedKeyVault,
  ObservedRegistry,
} from "../../steps/observed.js";
import { devopsSteps } from "../../steps/devops/index.js";

/**
 * A sandbox with the Azure prerequisites of the Azure DevOps steps made directly through the
 * SDK (identities, registries, vault: objects the DevOps side checks or writes to), published
 * under the Azure step ids by small fake steps. Clusters and App Insights only feed variable
 * values, so their fake steps carry plausible values without creating anything.
 */
export interface DevopsBed {
  readonly sandbox: Sandbox;
  readonly target: Target;
  readonly deps: StepDeps;
  readonly identities: Readonly<Record<PipelineRole, ObservedIdentity>>;
  readonly registries: Readonly<Record<"nonprod" | "prod", ObservedRegistry>>;
  readonly vault: ObservedKeyVault;
  /** Fake Azure steps + repo files stand-in + every DevOps step (federated credentials included). */
  steps(overrides?: Partial<StepDeps>): Step[];
  close(): Promise<void>;
}

/** A step that publishes a fixed observed state and never changes anything. */
export function fakeStep(id: string, observed: unknown, dependsOn: string[] = []): Step {
  return {
    id,
    title: `fake ${id}`,
    group: "azure",
    dependsOn,
    detect: async () => observed,
    diff: () => ({ kind: "noop" }),
    apply: async () => undefined,
  };
}

export async function startDevopsBed(
  opts: SandboxOptions & { answers?: Partial<AnswersInput>; targetOverrides?: Partial<Target> } = {},
): Promise<DevopsBed> {
  const sandbox = await startSandbox({ speed: 2000, ...opts });
  try {
    const target = sandbox.target(opts.targetOverrides);
    const azure = createAzureClients(target);
    const answers = answersSchema.parse({
      app: "demo",
      azure: {
        tenantId: sandbox.tenantId,
        subscriptionId: sandbox.subscriptionId,
        location: sandbox.location,
      },
      devops: { organizationUrl: sandbox.organizationUrl, project: "demo", repository: "demo" },
      keyVault: { secrets: [{ name: "db-password", env: "DB_PASSWORD" }] },
      ...opts.answers,
    });
    const names = deriveNames(answers);
    const deps: StepDeps = {
      answers,
      names,
      target,
      azure,
      devops: createDevopsClients(target),
      secretValue: async () => undefined,
      options: { replaceEditedFiles: false },
    };
    const location = sandbox.location;
    const lro = { updateIntervalInMs: target.pollIntervalMs };
    for (const rg of [names.resourceGroupNonprod, names.resourceGroupProd]) {
      await azure.resources.resourceGroups.createOrUpdate(rg, { location });
    }
    const identity = async (role: PipelineRole, name: string): Promise<[PipelineRole, ObservedIdentity]> => {
      const rg = role === "prod" ? names.resourceGroupProd : names.resourceGroupNonprod;
      const i = await azure.msi.userAssignedIdentities.createOrUpdate(rg, name, { location });
      return [
        role,
        {
          id: i.id!,
          name: i.name!,
          principalId: i.principalId!,
          clientId: i.clientId!,
          tenantId: i.tenantId!,
        },
      ];
    };
    const identities = Object.fromEntries(
      await Promise.all([
        identity("ci", names.identityCi),
        identity("staging", names.identityStaging),
        identity("prod", names.identityProd),
      ]),
    ) as Record<PipelineRole, ObservedIdentity>;
    const registry = async (rg: string, name: string): Promise<ObservedRegistry> => {
      const r = await azure.registry.registries.beginCreateAndWait(
        rg,
        name,
        { location, sku: { name: "Standard" }, adminUserEnabled: false },
        lro,
      );
      return { id: r.id!, name: r.name!, loginServer: r.loginServer! };
    };
    const registries = {
      nonprod: await registry(names.resourceGroupNonprod, names.registryNonprod),
      prod: await registry(names.resourceGroupProd, names.registryProd),
    };
    const v = await azure.keyVault.vaults.beginCreateOrUpdateAndWait(
      names.resourceGroupNonprod,
      names.keyVault,
      {
        location,
        properties: {
          tenantId: sandbox.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          enablePurgeProtection: true,
        },
      },
      lro,
    );
    const vault: ObservedKeyVault = { id: v.id!, name: v.name!, vaultUri: v.properties.vaultUri ?? "" };
    const sub = `/subscriptions/${sandbox.subscriptionId}`;
    const cluster = (stage: "staging" | "prod"): ObservedCluster => {
      const rg = stage === "staging" ? names.resourceGroupNonprod : names.resourceGroupProd;
      const name = stage === "staging" ? names.clusterStaging : names.clusterProd;
      return {
        id: `${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`,
        name,
        resourceGroup: rg,
      };
    };
    const insights = (stage: "staging" | "prod"): ObservedAppInsights => ({
      id: `${sub}/resourceGroups/x/providers/Microsoft.Insights/components/appi-${stage}`,
      name: `appi-${stage}`,
      connectionString: `InstrumentationKey=00000000-0000-0000-0000-00000000000${stage === "staging" ? 1 : 2};IngestionEndpoint=https://${location}.in.applicationinsights.azure.com/`,
    });
    const fakes = (): Step[] => [
      fakeStep(ids.azure.identity("ci"), identities.ci),
      fakeStep(ids.azure.identity("staging"), identities.staging),
      fakeStep(ids.azure.identity("prod"), identities.prod),
      fakeStep(ids.azure.registry("nonprod"), registries.nonprod),
      fakeStep(ids.azure.registry("prod"), registries.prod),
      fakeStep(ids.azure.keyVault, vault),
      fakeStep(ids.azure.keyVaultSecrets, { names: ["db-password"] }),
      fakeStep(ids.azure.cluster("staging"), cluster("staging")),
      fakeStep(ids.azure.cluster("prod"), cluster("prod")),
      fakeStep(ids.azure.appInsights("staging"), insights("staging")),
      fakeStep(ids.azure.appInsights("prod"), insights("prod")),
      fakeStep(ids.azure.roleAssignment("ci-kv-secrets-user"), { name: "fake" }),
      // The generated files are the repo helper's; pipelines only need the step to exist.
      fakeStep(ids.repo.files, { files: {} }, [ids.devops.repository]),
    ];
    return {
      sandbox,
      target,
      deps,
      identities,
      registries,
      vault,
      steps: (overrides = {}) => {
        const d = { ...deps, ...overrides };
        return [...fakes(), ...devopsSteps(d)];
      },
      close: () => sandbox.close(),
    };
  } catch (err) {
    await sandbox.close();
    throw err;
  }
}

/** The sandbox's Azure DevOps state (see src/sandbox/devops/state.ts). */
export interface DevopsStateView {
  projects: Record<string, { id: string; name: string }>;
  repositories: Record<string, { id: string; name: string; projectId: string }>;
  serviceEndpoints: Record<
    string,
    {
      id: string;
      name: string;
      type: string;
      authorization: { scheme: string; parameters: Record<string, string> };
      data: Record<string, string>;
    }
  >;
  environments: Record<string, { id: number; name: string }>;
  checks: Record<
    string,
    {
      id: number;
      type: { id: string; name: string };
      settings: Record<string, unknown>;
      resource: { type: string; id: string };
    }
  >;
  variableGroups: Record<
    string,
    {
      id: number;
      name: string;
      type: string;
      providerData?: { serviceEndpointId: string; vault: string };
      variables: Record<string, { value?: string; isSecret?: boolean }>;
    }
  >;
  pipelinePermissions: Record<
    string,
    { allPipelines: { authorized: boolean } | null; pipelines: { id: number; authorized: boolean }[] }
  >;
  definitions: Record<
    string,
    { id: number; name: string; process: { yamlFilename: string }; repository: { id: string } }
  >;
  policies: Record<
    string,
    {
      id: number;
      typeId: string;
      isEnabled: boolean;
      isBlocking: boolean;
      isDeleted: boolean;
      settings: Record<string, unknown>;
    }
  >;
}

export function devopsState(sandbox: Sandbox): DevopsStateView {
  const s = sandbox.state() as { devops?: DevopsStateView };
  if (!s.devops) throw new Error("the sandbox state has no devops section");
  return s.devops;
}
