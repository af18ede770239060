import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ClientSecretCredential } from "@azure/identity";
import type { Target } from "../clients/target.js";
import { UserError } from "../engine/errors.js";
import { createArmService } from "./arm/router.js";
import { OWNER_ROLE_ID } from "./arm/role-definitions.js";
import { roleAssignmentBody } from "./arm/authorization.js";
import { createClock } from "./clock.js";
import type { SandboxCore } from "./core.js";
import { mountDevops } from "./devops-mount.js";
import { redactDevopsState, type DevopsState } from "./devops/index.js";
import { createFaultPlan } from "./faults.js";
import { loadSigner } from "./jwt.js";
import { startListener, type Listener } from "./listener.js";
import { createLoginService } from "./login.js";
import { createPersister, ensureDir, loadSecrets, loadState } from "./persistence.js";
import { redactBody, scrubKnownSecrets } from "./redact.js";
import type { SandboxState, SecretStore } from "./state.js";
import { prepareTls } from "./tls.js";
import { createTrafficLog } from "./traffic-log.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";
import { createVaultService } from "./vault/data-plane.js";

export interface SandboxOptions {
  /** State folder; created if missing. Default: a fresh temp dir. */
  dir?: string;
  /** ARM listener port; 0/undefined = ephemeral. Other listeners are ephemeral. */
  port?: number;
  /** Time scale: realistic durations are divided by this (default 100). */
  speed?: number;
  /** Fault plan, e.g. "429=0.05,429-no-retry-after=0.02,503=0.02,reset=0.01,eventual=0.1,lro-fail=0.02". */
  faults?: string;
  /** Makes the fault plan reproducible. */
  seed?: number;
  /**
   * Milliseconds every request waits before it is answered, like a network round trip (not
   * scaled by speed). For benchmarks of how many sequential calls a run makes. Default 0.
   */
  latencyMs?: number;
}

export interface Sandbox {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly organization: string;
  /** e.g. https://127.0.0.1:PORT/sandbox-org */
  readonly organizationUrl: string;
  /** Default region. */
  readonly location: string;
  readonly endpoints: { readonly login: string; readonly arm: string; readonly devops: string };
  readonly caFile: string;
  readonly caPem: string;
  readonly dir: string;
  readonly trafficLogPath: string;
  /** A Target pointing every client at this sandbox. */
  target(overrides?: Partial<Target>): Target;
  /** A valid PAT for Azure DevOps Basic auth (never printed). */
  readonly pat: string;
  /** Application (client) id of the sandbox's service principal; its secret is never exposed here. */
  readonly clientId: string;
  /** Object id of the principal `target().credential` signs in as (the "operator"). */
  readonly callerObjectId: string;
  /** The emulated state as a JSON-able object, secret values redacted. */
  state(): unknown;
  close(): Promise<void>;
}

const DEFAULT_ORG = "sandbox-org";
const DEFAULT_LOCATION = "westeurope";

function freshState(): SandboxState {
  const clientObjectId = randomUUID();
  return {
    version: 1,
    tenantId: randomUUID(),
    subscriptionId: randomUUID(),
    organization: DEFAULT_ORG,
    location: DEFAULT_LOCATION,
    clientId: randomUUID(),
    clientObjectId,
    resources: {},
    operations: {},
    deletedVaults: {},
    principals: {},
    registeredProviders: {},
    vaults: {},
  };
}

/** The sandbox's own service principal is Owner of the subscription, like an operator's login. */
function seedCaller(core: SandboxCore): void {
  const s = core.state;
  s.principals[s.clientObjectId] ??= {
    objectId: s.clientObjectId,
    kind: "ServicePrincipal",
    displayName: "aks-bootstrap-sandbox",
    createdAt: 0,
  };
  const scope = `/subscriptions/${s.subscriptionId}`;
  const name = "00000000-0000-4000-8000-000000000001";
  const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  if (!s.resources[id.toLowerCase()]) {
    const body = roleAssignmentBody(core, scope, name, {
      roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${OWNER_ROLE_ID}`,
      principalId: s.clientObjectId,
      principalType: "ServicePrincipal",
    });
    s.resources[id.toLowerCase()] = {
      id,
      type: "Microsoft.Authorization/roleAssignments",
      body,
      createdAt: 0,
    };
  }
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  // Options are checked before anything touches the disk: bad input creates no folder.
  if (opts.speed !== undefined && !(opts.speed > 0 && Number.isFinite(opts.speed))) {
    throw new UserError(
      `Starting the sandbox: speed must be a positive number, got ${opts.speed}.`,
      "Use e.g. --speed 100 (Azure's durations divided by 100).",
    );
  }
  if (opts.latencyMs !== undefined && !(opts.latencyMs >= 0 && Number.isFinite(opts.latencyMs))) {
    throw new UserError(
      `Starting the sandbox: latency must be a number of milliseconds (0 or more), got ${opts.latencyMs}.`,
      "Use e.g. latencyMs: 50.",
    );
  }
  const faults = createFaultPlan(opts.faults, opts.seed ?? 1);
  const dir = resolve(opts.dir ?? mkdtempSync(join(tmpdir(), "aks-bootstrap-sandbox-")));
  ensureDir(dir);
  const tls = await prepareTls(dir);
  const state = loadState(dir) ?? freshState();
  const secrets: SecretStore = loadSecrets(dir) ?? {
    // Never a leading "-": command lines (az login -p SECRET) would read it as an option.
    clientSecret: `s${randomBytes(24).toString("base64url")}`,
    pat: randomBytes(26).toString("base64url").toLowerCase(),
    vaultSecrets: {},
  };
  const clock = createClock(opts.speed ?? 100);
  const knownSecrets = function* () {
    yield secrets.clientSecret;
    yield secrets.pat;
    for (const vault of Object.values(secrets.vaultSecrets))
      for (const s of Object.values(vault)) yield* Object.values(s);
  };
  const trafficLogPath = join(dir, "traffic.jsonl");
  const persister = createPersister(dir, state, secrets);
  const core: SandboxCore = {
    dir,
    state,
    secrets,
    clock,
    faults,
    signer: loadSigner(dir),
    tls,
    traffic: createTrafficLog(trafficLogPath, (line) => scrubKnownSecrets(line, knownSecrets())),
    loginUrl: "",
    armUrl: "",
    persist: () => persister.markDirty(),
    flush: () => persister.flush(),
    knownSecrets,
    ...(opts.latencyMs ? { latencyMs: opts.latencyMs } : {}),
  };

  const listeners: Listener[] = [];
  const vaultListeners = new Map<string, Listener>();
  core.ensureVault = async (name: string) => {
    const key = name.toLowerCase();
    const running = vaultListeners.get(key);
    if (running) return `${running.url}/`;
    const data = (state.vaults[key] ??= { port: 0, secrets: {} });
    const service = createVaultService(core, name);
    let listener: Listener;
    try {
      listener = await startListener(core, "vault", service.handle, { port: data.port, vaultName: name });
    } catch {
      // The old port is taken: serve on a new one and point the vault at it.
      listener = await startListener(core, "vault", service.handle, { vaultName: name });
    }
    data.port = listener.port;
    vaultListeners.set(key, listener);
    const vault = Object.values(state.resources).find(
      (r) => r.type === "Microsoft.KeyVault/vaults" && String(r.body["name"]).toLowerCase() === key,
    );
    const p = vault?.body["properties"] as Record<string, unknown> | undefined;
    if (p) p["vaultUri"] = `${listener.url}/`;
    return `${listener.url}/`;
  };

  try {
    const login = await startListener(core, "login", (req) => createLoginService(core).handle(req));
    listeners.push(login);
    core.loginUrl = login.url;
    const arm = createArmService(core);
    const armListener = await startListener(core, "arm", arm.handle, { port: opts.port ?? 0 }).catch(
      (err: unknown) => {
        const code = (err as { code?: string }).code;
        if (code === "EADDRINUSE" || code === "EACCES") {
          throw new UserError(
            `Starting the sandbox: cannot listen on 127.0.0.1:${opts.port ?? 0} (${code}).`,
            "Pass another --port, or --port 0 for any free port.",
          );
        }
        throw err;
      },
    );
    listeners.push(armListener);
    core.armUrl = armListener.url;
    let devopsHandle: (req: SandboxRequest) => Promise<SandboxResponse> = async () => ({ status: 503 });
    const devopsListener = await startListener(core, "devops", (req) => devopsHandle(req));
    listeners.push(devopsListener);
    devopsHandle = mountDevops(core, devopsListener.url);
    seedCaller(core);
    // Vaults (live and soft-deleted) get their listeners back, on their old ports when free.
    for (const r of Object.values(state.resources)) {
      if (r.type === "Microsoft.KeyVault/vaults") await core.ensureVault(String(r.body["name"]));
    }
    core.persist();
    persister.flushSync();

    const organizationUrl = `${devopsListener.url}/${state.organization}`;
    const credential = new ClientSecretCredential(state.tenantId, state.clientId, secrets.clientSecret, {
      authorityHost: login.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: tls.caPem },
      retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
    });
    let closed = false;
    return {
      tenantId: state.tenantId,
      subscriptionId: state.subscriptionId,
      organization: state.organization,
      organizationUrl,
      location: state.location,
      endpoints: { login: login.url, arm: armListener.url, devops: devopsListener.url },
      caFile: tls.caFile,
      caPem: tls.caPem,
      dir,
      trafficLogPath,
      pat: secrets.pat,
      clientId: state.clientId,
      callerObjectId: state.clientObjectId,
      target(overrides: Partial<Target> = {}): Target {
        return {
          tenantId: state.tenantId,
          subscriptionId: state.subscriptionId,
          armEndpoint: armListener.url,
          authorityHost: login.url,
          portalUrl: "https://portal.azure.com",
          devopsOrganizationUrl: organizationUrl,
          credential,
          devopsAuth: { kind: "entra" },
          caPem: tls.caPem,
          caFile: tls.caFile,
          pollIntervalMs: Math.max(5, Math.round(2000 / clock.speed)),
          retry: {
            maxRetries: 6,
            retryDelayMs: Math.max(5, Math.round(800 / clock.speed)),
            maxRetryDelayMs: Math.max(50, Math.round(60_000 / clock.speed)),
          },
          keyVaultChallengeVerification: false,
          propagationDeadlineMs: Math.max(2000, clock.scaled(600)),
          ...overrides,
        };
      },
      state() {
        return snapshot(core);
      },
      async close() {
        if (closed) return;
        closed = true;
        await Promise.all([...listeners, ...vaultListeners.values()].map((l) => l.close()));
        core.persist();
        persister.flushSync();
      },
    };
  } catch (err) {
    await Promise.all([...listeners, ...vaultListeners.values()].map((l) => l.close()));
    throw err;
  }
}

/** state(): everything but secret values (they are not in SandboxState; scrubbed anyway). */
export function snapshot(core: Pick<SandboxCore, "state" | "knownSecrets">): unknown {
  const { devops, ...rest } = core.state;
  const shown = {
    ...(redactBody(rest, false) as object),
    ...(devops ? { devops: redactDevopsState(devops as DevopsState) } : {}),
  };
  const text = scrubKnownSecrets(JSON.stringify(shown), core.knownSecrets());
  return JSON.parse(text) as unknown;
}

export type { Target };
