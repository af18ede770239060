import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { UserError } from "../engine/errors.js";
import { registerSecret } from "../engine/redact.js";
import type { Step } from "../engine/types.js";
import type { Answers } from "../answers/schema.js";
import type { Names } from "../answers/names.js";
import { loadAnswersFile, type AnswersFile } from "../answers/load.js";
import { resolveAnswers, sandboxDefaults, type ResolvedAnswers } from "../answers/resolve.js";
import type { Target } from "../clients/target.js";
import { createAzureClients } from "../clients/azure.js";
import { createDevopsClients } from "../clients/devops.js";
import { realTarget } from "../clients/real-target.js";
import type { Sandbox } from "../sandbox/index.js";
import type { StepDeps } from "../../steps/deps.js";
import { ids } from "../../steps/ids.js";
import type { CliArgs } from "./args.js";
import type { CliIo } from "./main.js";

/** Default answers file, looked for in the current folder. */
export const DEFAULT_ANSWERS_FILE = "aks-bootstrap.yaml";

/** Everything a command needs once the answers are known: target, clients, steps. */
export interface Session {
  readonly answers: Answers;
  readonly names: Names;
  readonly provenance: ResolvedAnswers["provenance"];
  readonly origin: ResolvedAnswers["origin"];
  readonly target: Target;
  readonly deps: StepDeps;
  readonly sandbox?: Sandbox;
  readonly answersPath?: string;
  close(): Promise<void>;
}

export function isInteractive(args: CliArgs, io: CliIo): boolean {
  return (
    !args.nonInteractive && Boolean(io.stdin.isTTY) && Boolean(io.stdout.isTTY) && args.output !== "json"
  );
}

export async function startSandboxFor(args: CliArgs, io: CliIo): Promise<Sandbox | undefined> {
  if (args.sandbox === undefined) return undefined;
  const { startSandbox } = await import("../sandbox/index.js");
  const dir = resolve(io.cwd, args.sandbox || ".sandbox");
  return startSandbox({
    dir,
    ...(args.speed !== undefined ? { speed: args.speed } : {}),
    ...(args.faults !== undefined ? { faults: args.faults } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
  });
}

export function answersPathFor(args: CliArgs, io: CliIo): string | undefined {
  if (args.answers) return resolve(io.cwd, args.answers);
  const fallback = join(io.cwd, DEFAULT_ANSWERS_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

export async function loadAnswersFor(args: CliArgs, io: CliIo): Promise<AnswersFile | undefined> {
  const path = answersPathFor(args, io);
  if (!path) return undefined;
  if (!existsSync(path)) {
    throw new UserError(
      `Answers file ${path} does not exist`,
      "Check the path, or run `aks-bootstrap init` to create one.",
    );
  }
  return loadAnswersFile(path);
}

/**
 * Opens a session from the answers file, flags, environment and (with --sandbox) the
 * sandbox's defaults. `secretValues` holds values typed into the wizard; otherwise values come
 * from the environment variables the answers name (or, in the sandbox, are generated).
 */
export async function openSession(
  args: CliArgs,
  io: CliIo,
  opts: { sandbox?: Sandbox; file?: AnswersFile; secretValues?: ReadonlyMap<string, string> } = {},
): Promise<Session> {
  const sandbox = opts.sandbox;
  const loaded = opts.file ?? (await loadAnswersFor(args, io));
  const file = sandbox && loaded ? withoutSandboxOwnedAnswers(loaded) : loaded;
  const defaults = sandbox
    ? sandboxDefaults({
        tenantId: sandbox.tenantId,
        subscriptionId: sandbox.subscriptionId,
        organizationUrl: sandbox.organizationUrl,
        location: sandbox.location,
      })
    : undefined;
  const { answers, names, provenance, origin } = resolveAnswers({
    ...(file ? { file } : {}),
    ...(defaults ? { defaults } : {}),
    env: io.env,
    flags: args.overrides,
  });
  const pat = io.env.AZURE_DEVOPS_EXT_PAT;
  const target = sandbox
    ? sandbox.target(pat ? { devopsAuth: { kind: "pat", token: pat } } : {})
    : realTarget(
        {
          tenantId: answers.azure.tenantId,
          subscriptionId: answers.azure.subscriptionId,
          organizationUrl: answers.devops.organizationUrl,
        },
        io.env,
      );
  if (target.devopsAuth.kind === "pat") registerSecret(target.devopsAuth.token);
  const generated = new Map<string, string>();
  const deps: StepDeps = {
    answers,
    names,
    target,
    azure: createAzureClients(target),
    devops: createDevopsClients(target),
    secretValue: async ({ name, env }) => {
      const typed = opts.secretValues?.get(name);
      const value =
        typed ??
        io.env[env] ??
        (sandbox ? (generated.get(name) ?? generateDemoSecret(name, generated)) : undefined);
      registerSecret(value);
      return value;
    },
    options: { replaceEditedFiles: args.replaceEditedFiles },
  };
  const answersPath = file?.fileName;
  return {
    answers,
    names,
    provenance,
    origin,
    target,
    deps,
    ...(sandbox ? { sandbox } : {}),
    ...(answersPath ? { answersPath } : {}),
    async close() {
      await sandbox?.close();
    },
  };
}

/**
 * With --sandbox, tenant, subscription and organization URL belong to the sandbox (its URL
 * carries a port that changes between runs), so an answers file saved by an earlier sandbox run
 * must not pin them.
 */
function withoutSandboxOwnedAnswers(file: AnswersFile): AnswersFile {
  const raw = structuredClone(file.raw);
  const azure = raw.azure as Record<string, unknown> | undefined;
  const devops = raw.devops as Record<string, unknown> | undefined;
  if (azure && typeof azure === "object") {
    delete azure.tenantId;
    delete azure.subscriptionId;
  }
  if (devops && typeof devops === "object") delete devops.organizationUrl;
  return {
    fileName: file.fileName,
    format: file.format,
    raw,
    positionOf: (p) => file.positionOf(p),
    valuePositionOf: (p) => file.valuePositionOf(p),
    has: (p) => file.has(p),
  };
}

function generateDemoSecret(name: string, cache: Map<string, string>): string {
  const value = `demo-${randomBytes(18).toString("base64url")}`;
  cache.set(name, value);
  return value;
}

/** Every step of the job, in family order (the engine orders by dependencies). */
export async function allSteps(deps: StepDeps): Promise<Step[]> {
  const [{ preflightSteps, azureSteps }, { devopsSteps }, { repoSteps }] = await Promise.all([
    import("../../steps/azure/index.js"),
    import("../../steps/devops/index.js"),
    import("../../steps/repo/index.js"),
  ]);
  // Every Azure write waits for the Azure DevOps sign-in too: a refused DevOps credential
  // stops the run before anything is created on either side.
  const azure = azureSteps(deps, { alsoAfter: [ids.preflight.devopsAuth] });
  return [...preflightSteps(deps), ...azure, ...devopsSteps(deps), ...repoSteps(deps)] as Step[];
}
