import type { DevopsState } from "../state.js";
import { findEndpoint } from "./resource-use.js";
import type { Issue, RecordResult, StepPlan } from "./run-state.js";
import type { RegistryRef, RunWorld } from "./world.js";

/**
 * What one step does in the sandbox. Steps are not executed as shell: each task is checked
 * against what it needs (a connection, the registry, the cluster, the image) and succeeds or
 * fails with the message Azure Pipelines (or the tool the task runs) would give; the tasks
 * that change Azure record the change in the emulated world (images, deployments).
 */
export interface StepEnv {
  readonly state: DevopsState;
  readonly projectId: string;
  readonly world: RunWorld | undefined;
  readonly pipeline: string;
  readonly runId: number;
  readonly now: string;
  readonly faults: readonly string[];
  /** Expands $(name) macros with the job's variables. */
  expand(text: string): string;
}

export interface StepOutcome {
  readonly result: RecordResult;
  readonly issues: Issue[];
}

const ok: StepOutcome = { result: "succeeded", issues: [] };
const fail = (...messages: string[]): StepOutcome => ({
  result: "failed",
  issues: messages.map((message) => ({ type: "error", category: "General", message })),
});

/** Realistic seconds a step takes on a hosted agent (scaled by the sandbox speed). */
export function stepSeconds(plan: StepPlan, displayName: string): number {
  const task = (plan.task ?? "").split("@")[0]?.toLowerCase() ?? "";
  if (plan.kind === "checkout") return 4;
  if (plan.kind === "download" || plan.kind === "publish") return 5;
  if (plan.kind === "script") return /install/i.test(displayName) ? 25 : /test/i.test(displayName) ? 20 : 10;
  const known: Record<string, number> = {
    docker: 60,
    kubernetesmanifest: 15,
    azurecli: 25,
    azurekeyvault: 5,
    nodetool: 3,
    publishtestresults: 3,
    publishpipelineartifact: 5,
    downloadpipelineartifact: 5,
  };
  return known[task] ?? 8;
}

const unresolved = (text: string) => /\$\([^)]+\)/.exec(text)?.[0];

function connection(
  env: StepEnv,
  plan: StepPlan,
  input: string,
  type: string,
): StepOutcome | { url: string; data: Record<string, string>; params: Record<string, string> } {
  const name = plan.inputs[input];
  if (!name) return fail(`Input required: ${input}`);
  const e = findEndpoint(env.state, env.projectId, env.expand(name));
  if (!e)
    return fail(
      `Step input ${input} references service connection ${name} which could not be found. The service connection does not exist, has been disabled or has not been authorized for use. For authorization details, refer to https://aka.ms/yamlauthz.`,
    );
  if (e.type.toLowerCase() !== type)
    return fail(
      `The service connection ${e.name} is of type ${e.type}; the task needs a connection of type ${type}.`,
    );
  return { url: e.url, data: e.data, params: e.authorization.parameters };
}

const isOutcome = (v: unknown): v is StepOutcome => typeof v === "object" && v !== null && "result" in v;

function parseImage(ref: string): { server: string; repository: string; tag: string } | undefined {
  const m = /^([^/]+\.[^/]+)\/([^:@]+):([^:@/]+)$/.exec(ref.trim());
  return m ? { server: m[1] as string, repository: m[2] as string, tag: m[3] as string } : undefined;
}

function docker(env: StepEnv, plan: StepPlan): StepOutcome {
  const command = (plan.inputs.command ?? "buildAndPush").toLowerCase();
  if (!["buildandpush", "push"].includes(command)) return ok;
  const conn = connection(env, plan, "containerRegistry", "dockerregistry");
  if (isOutcome(conn)) return conn;
  const server = (conn.params.loginServer ?? conn.url.replace(/^https?:\/\//, "")).replace(/\/$/, "");
  const repository = env.expand(plan.inputs.repository ?? "");
  const tags = env
    .expand(plan.inputs.tags ?? "latest")
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter(Boolean);
  for (const ref of [repository, ...tags]) {
    const bad = unresolved(ref);
    if (bad)
      return fail(
        `invalid argument "${server}/${repository}:${tags.join(",")}" for "-t, --tag" flag: invalid reference format (${bad} is not defined)`,
        "The process '/usr/bin/docker' failed with exit code 125",
      );
  }
  const registry = env.world?.findRegistry(server);
  if (!registry)
    return fail(
      `Get "https://${server}/v2/": dial tcp: lookup ${server}: no such host`,
      "The process '/usr/bin/docker' failed with exit code 1",
    );
  const who = conn.params.serviceprincipalid;
  if (who && env.world?.authorize(who, registry.id, "Microsoft.ContainerRegistry/registries/push/write"))
    return fail(
      `unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.`,
      "The process '/usr/bin/docker' failed with exit code 1",
    );
  for (const tag of tags) env.world?.putImage(registry, repository, tag, `${env.pipeline} #${env.runId}`);
  return ok;
}

/** `az` command lines of an inline script (continuation lines joined). */
function azCommands(script: string): string[][] {
  return script
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("az "))
    .map((l) => (l.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((t) => t.replace(/^["']|["']$/g, "")));
}

function arg(tokens: string[], ...names: string[]): string | undefined {
  const i = tokens.findIndex((t) => names.includes(t));
  return i >= 0 ? tokens[i + 1] : undefined;
}

const LIST_USER_CREDENTIAL = "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action";

/** An az command refused by Azure RBAC, as az prints it. */
function azDenied(
  env: StepEnv,
  clientId: string | undefined,
  scope: string,
  action: string,
): StepOutcome | undefined {
  const message = clientId ? env.world?.authorize(clientId, scope, action) : undefined;
  return message
    ? fail(
        `ERROR: (AuthorizationFailed) ${message}`,
        "Code: AuthorizationFailed",
        "Script failed with exit code: 1",
      )
    : undefined;
}

function azureCli(env: StepEnv, plan: StepPlan): StepOutcome {
  const conn = connection(env, plan, "azureSubscription", "azurerm");
  if (isOutcome(conn)) return conn;
  const script = env.expand(plan.inputs.inlineScript ?? "");
  for (const cmd of azCommands(script)) {
    if (cmd[1] === "acr" && cmd[2] === "import") {
      const target = arg(cmd, "--name", "-n") ?? "";
      const source = arg(cmd, "--source") ?? "";
      const into = env.world?.findRegistry(target);
      if (!into)
        return fail(
          `ERROR: The resource with name '${target}' and type 'Microsoft.ContainerRegistry/registries' could not be found in subscription.`,
          "Script failed with exit code: 1",
        );
      const image = parseImage(source);
      const from = image ? env.world?.findRegistry(image.server) : undefined;
      if (!image || !from || !env.world?.hasImage(from, image.repository, image.tag))
        return fail(
          `ERROR: (InvalidParameters) Operation registries-import failed. Source image ${source} was not found.`,
          "Script failed with exit code: 1",
        );
      const denied = azDenied(
        env,
        conn.params.serviceprincipalid,
        into.id,
        "Microsoft.ContainerRegistry/registries/importImage/action",
      );
      if (denied) return denied;
      const [repo, tag] = (arg(cmd, "--image", "-t") ?? `${image.repository}:${image.tag}`).split(":");
      env.world.putImage(into, repo ?? image.repository, tag ?? image.tag, `import from ${source}`);
    }
    if (cmd[1] === "aks" && cmd[2] === "get-credentials") {
      const rg = arg(cmd, "--resource-group", "-g") ?? "";
      const name = arg(cmd, "--name", "-n") ?? "";
      const cluster = env.world?.findCluster(rg, name);
      if (!cluster)
        return fail(
          `ERROR: (ResourceNotFound) The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${rg}' was not found.`,
          "Script failed with exit code: 1",
        );
      const denied = azDenied(env, conn.params.serviceprincipalid, cluster.id, LIST_USER_CREDENTIAL);
      if (denied) return denied;
    }
  }
  return ok;
}

function kubernetesManifest(env: StepEnv, plan: StepPlan): StepOutcome {
  const action = (plan.inputs.action ?? "deploy").toLowerCase();
  let clusterId: string | undefined;
  if ((plan.inputs.connectionType ?? "").toLowerCase() === "azureresourcemanager") {
    const conn = connection(env, plan, "azureSubscriptionConnection", "azurerm");
    if (isOutcome(conn)) return conn;
    const rg = env.expand(plan.inputs.azureResourceGroup ?? "");
    const name = env.expand(plan.inputs.kubernetesCluster ?? "");
    const cluster = env.world?.findCluster(rg, name);
    if (!cluster)
      return fail(
        `(ResourceNotFound) The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${rg}' was not found.`,
      );
    clusterId = cluster.id;
    const who = conn.params.serviceprincipalid;
    const denied = who ? env.world?.authorize(who, cluster.id, LIST_USER_CREDENTIAL) : undefined;
    if (denied) return fail(`(AuthorizationFailed) ${denied}`);
  } else {
    const conn = connection(env, plan, "kubernetesServiceConnection", "kubernetes");
    if (isOutcome(conn)) return conn;
    clusterId = conn.url;
  }
  const images = env
    .expand(plan.inputs.containers ?? "")
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const ref of images) {
    const image = parseImage(ref);
    const registry: RegistryRef | undefined = image ? env.world?.findRegistry(image.server) : undefined;
    if (!image || !registry || !env.world?.hasImage(registry, image.repository, image.tag))
      return fail(
        `Failed to pull image "${ref}": not found`,
        `error: deployment exceeded its progress deadline`,
        "Rollout status check failed.",
      );
  }
  const secretName = action === "createsecret" ? env.expand(plan.inputs.secretName ?? "") : undefined;
  env.world?.recordDeployment(clusterId, {
    namespace: env.expand(plan.inputs.namespace ?? "default"),
    action,
    manifests: env
      .expand(plan.inputs.manifests ?? "")
      .split("\n")
      .map((s) => s.trim().replace(/^.*\//, ""))
      .filter(Boolean),
    images,
    ...(secretName ? { secretName } : {}),
    pipeline: env.pipeline,
    runId: env.runId,
    deployedAt: env.now,
  });
  return ok;
}

function keyVault(env: StepEnv, plan: StepPlan): StepOutcome {
  const conn = connection(env, plan, "azureSubscription", "azurerm");
  if (isOutcome(conn)) return conn;
  const vault = env.expand(plan.inputs.KeyVaultName ?? "");
  const filter = env.expand(plan.inputs.SecretsFilter ?? "*");
  if (filter === "*") return ok;
  for (const name of filter.split(",").map((s) => s.trim())) {
    const has = env.world?.vaultHasSecret(vault, name);
    if (has === undefined)
      return fail(`Get secrets failed. Error: The key vault ${vault} could not be found.`);
    if (!has) return fail(`Get secrets failed. Error: Secret not found: ${name}.`);
  }
  return ok;
}

/** Runs one step (ManualValidation is handled by the engine: it waits for a person). */
export function executeStep(env: StepEnv, plan: StepPlan, displayName: string): StepOutcome {
  if (plan.kind === "script") {
    if (env.faults.includes("unit-test-fail") && /unit test/i.test(displayName))
      return fail("Bash exited with code '1'.");
    return ok;
  }
  if (plan.kind !== "task") return ok;
  const name = (plan.task ?? "").split("@")[0]?.toLowerCase();
  if (name === "docker") return docker(env, plan);
  if (name === "azurecli") return azureCli(env, plan);
  if (name === "kubernetesmanifest") return kubernetesManifest(env, plan);
  if (name === "azurekeyvault") return keyVault(env, plan);
  return ok;
}
