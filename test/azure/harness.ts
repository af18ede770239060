import { readFileSync } from "node:fs";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";
import { createAzureClients } from "../../src/clients/azure.js";
import { answersSchema } from "../../src/answers/schema.js";
import { deriveNames } from "../../src/answers/names.js";
import type { DevopsClients } from "../../src/clients/devops.js";
import type { StepDeps } from "../../steps/deps.js";
import type { Target } from "../../src/clients/target.js";
import type { Step } from "../../src/engine/types.js";
import { azureSteps, preflightSteps } from "../../steps/azure/index.js";

/** Demo secret values; tests check they never reach the traffic log in clear. */
export const testSecrets: Readonly<Record<string, string>> = {
  DB_PASSWORD: "s3cr3t-db-pa55word-for-tests",
  API_TOKEN: "t0ken-value-for-integration-tests",
};

/** Azure-only runs never touch Azure DevOps. */
const noDevops: DevopsClients = {
  organizationUrl: "https://dev.azure.com/unused",
  api: () => Promise.reject(new Error("Azure DevOps must not be used by Azure steps")),
  rest: () => Promise.reject(new Error("Azure DevOps must not be used by Azure steps")),
};

export interface AzureBed {
  readonly sandbox: Sandbox;
  readonly target: Target;
  readonly deps: StepDeps;
  /** Preflight + Azure steps, as the CLI runs them. */
  steps(overrides?: Partial<StepDeps>): Step[];
  close(): Promise<void>;
}

export async function startAzureBed(
  opts: SandboxOptions & {
    app?: string;
    env?: Record<string, string | undefined>;
    targetOverrides?: Partial<Target>;
  } = {},
): Promise<AzureBed> {
  const sandbox = await startSandbox({ speed: 2000, ...opts });
  const target = sandbox.target(opts.targetOverrides);
  const azure = createAzureClients(target);
  const answers = answersSchema.parse({
    app: opts.app ?? "demo",
    azure: {
      tenantId: sandbox.tenantId,
      subscriptionId: sandbox.subscriptionId,
      location: sandbox.location,
      aks: { nodeCount: 2 },
    },
    devops: { organizationUrl: "https://dev.azure.com/contoso", project: "demo", repository: "demo" },
    keyVault: {
      secrets: [
        { name: "db-password", env: "DB_PASSWORD" },
        { name: "api-token", env: "API_TOKEN" },
      ],
    },
  });
  const env = opts.env ?? testSecrets;
  const deps: StepDeps = {
    answers,
    names: deriveNames(answers),
    target,
    azure,
    devops: noDevops,
    secretValue: async ({ env: name }) => env[name],
    options: { replaceEditedFiles: false },
  };
  return {
    sandbox,
    target,
    deps,
    steps: (overrides = {}) => {
      const d = { ...deps, ...overrides };
      return [...preflightSteps(d), ...azureSteps(d)];
    },
    close: () => sandbox.close(),
  };
}

export interface TrafficLine {
  readonly time: string;
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly fault?: string;
}

/** The traffic log's lines from `from` on (a line count taken earlier). */
export function traffic(sandbox: Sandbox, from = 0): TrafficLine[] {
  return readTrafficText(sandbox)
    .split("\n")
    .filter(Boolean)
    .slice(from)
    .map((l) => JSON.parse(l) as TrafficLine);
}

export function trafficText(sandbox: Sandbox): string {
  return readTrafficText(sandbox);
}

function readTrafficText(sandbox: Sandbox): string {
  try {
    return readFileSync(sandbox.trafficLogPath, "utf8");
  } catch {
    return "";
  }
}

interface StoredResource {
  id: string;
  type: string;
  body: Record<string, unknown> & { properties?: Record<string, unknown>; tags?: Record<string, string> };
}

export function resources(sandbox: Sandbox): StoredResource[] {
  const state = sandbox.state() as { resources: Record<string, StoredResource> };
  return Object.values(state.resources);
}

export function resourcesOfType(sandbox: Sandbox, type: string): StoredResource[] {
  return resources(sandbox).filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

/**
 * Resources aks-bootstrap manages: everything but what AKS itself creates in each cluster's
 * node resource group (MC_...: the group, the kubelet identity, VM scale sets).
 */
export function managedResources(sandbox: Sandbox): StoredResource[] {
  const all = resources(sandbox);
  const nodeGroups = all
    .filter((r) => r.type === "Microsoft.ContainerService/managedClusters")
    .map((r) => String(r.body.properties?.["nodeResourceGroup"] ?? ""))
    .filter(Boolean)
    .map((rg) => `/subscriptions/${sandbox.subscriptionId}/resourcegroups/${rg}`.toLowerCase());
  return all.filter((r) => {
    const id = r.id.toLowerCase();
    return !nodeGroups.some((g) => id === g || id.startsWith(`${g}/`));
  });
}
