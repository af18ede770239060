import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { main, type CliIo } from "../../src/cli/main.js";
import { expect } from "vitest";
import { cleanEnv } from "../helpers/cli.js";
import type { DriftKind } from "../../src/sandbox/drift/index.js";
import { EDITED_FILE } from "../../src/sandbox/drift/index.js";
import { ids } from "../../steps/ids.js";

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `aks-bootstrap ARGS` in this process, without a TTY, capturing its output. */
export async function run(argv: readonly string[], cwd: string): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  const io: Partial<CliIo> = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    env: cleanEnv(),
    cwd,
  };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}

/** `plan --output json` lines of type "plan", by step id. */
export function planEvents(ndjson: string): Map<
  string,
  {
    kind: string;
    fields?: { field: string; from: unknown; to: unknown }[];
    notes?: string[];
    summary?: string;
  }
> {
  const out = new Map();
  for (const line of ndjson.split("\n")) {
    if (!line.startsWith("{")) continue;
    const e = JSON.parse(line) as { type?: string; stepId?: string; change?: unknown };
    if (e.type === "plan" && e.stepId) out.set(e.stepId, e.change as PlanChange);
  }
  return out;
}

/** A planned change as the JSON output or the engine gives it. */
export interface PlanChange {
  readonly kind: string;
  readonly fields?: readonly { field: string; from: unknown; to: unknown }[];
  readonly notes?: readonly string[];
  readonly summary?: string;
}
const fieldNames = (c: PlanChange | undefined) => (c?.fields ?? []).map((f) => f.field);

/** For each drift kind: the step that must report it, and how. */
export const expected: Record<DriftKind, { step: string; check: (c: PlanChange | undefined) => void }> = {
  "role-assignment": {
    step: ids.azure.roleAssignment("ci-acrpush"),
    check: (c) => expect(c?.kind).toBe("create"),
  },
  "registry-admin": {
    step: ids.azure.registry("nonprod"),
    check: (c) => expect(c?.fields).toContainEqual({ field: "adminUserEnabled", from: true, to: false }),
  },
  "monitoring-addon": {
    step: ids.azure.cluster("staging"),
    check: (c) => expect(fieldNames(c)).toContain("addon omsagent"),
  },
  secret: {
    step: ids.azure.keyVaultSecrets,
    // The only secret: "create" (recover) rather than "update", with the field in the summary.
    check: (c) => expect(JSON.stringify(c)).toContain("secret integration-db-password"),
  },
  "federated-credential": {
    step: ids.azure.federatedCredential("staging"),
    check: (c) => expect(c?.kind).toBe("create"),
  },
  "service-connection": {
    step: ids.devops.serviceConnection("staging"),
    check: (c) => expect(c?.kind).toBe("create"),
  },
  "approval-check": { step: ids.devops.approvalCheck, check: (c) => expect(c?.kind).toBe("create") },
  "branch-policy": {
    step: ids.devops.branchPolicy("build"),
    check: (c) => expect(fieldNames(c)).toContain("isEnabled"),
  },
  "variable-group": {
    step: ids.devops.variableGroup("staging"),
    check: (c) =>
      expect(c?.fields).toContainEqual({
        field: "variables.clusterName",
        from: "someone-elses-cluster",
        to: "aks-demo-staging",
      }),
  },
  environment: { step: ids.devops.environment("staging"), check: (c) => expect(c?.kind).toBe("create") },
  "pipeline-permission": {
    step: ids.devops.pipelinePermissions("cd"),
    check: (c) => expect(c?.kind).toBe("update"),
  },
  "pipeline-path": {
    step: ids.devops.pipeline("ci"),
    check: (c) => expect(fieldNames(c).join(" ")).toMatch(/yaml/i),
  },
  "edited-file": {
    step: ids.repo.files,
    check: (c) => {
      expect(c?.kind).toBe("noop");
      expect(c?.notes?.join("\n")).toContain(`${EDITED_FILE}: edited by a user, kept`);
    },
  },
};

interface TrafficLine {
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

/** The sandbox traffic log's lines from `from` on. */
export function trafficFrom(sandboxDir: string, from = 0): TrafficLine[] {
  let text = "";
  try {
    text = readFileSync(join(sandboxDir, "traffic.jsonl"), "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter(Boolean)
    .slice(from)
    .map((l) => JSON.parse(l) as TrafficLine);
}

/**
 * Reads per object: GET/HEAD by URL (case folded, api-version left out, since the query often
 * names the object, e.g. `items?path=...`); token calls and operation polling aside.
 */
export function readsByObject(lines: readonly TrafficLine[]): Map<string, number> {
  const reads = new Map<string, number>();
  for (const l of lines) {
    if (l.service === "login" || (l.method !== "GET" && l.method !== "HEAD")) continue;
    // Key Vault's bodiless first request, answered 401 with the auth challenge, reads nothing.
    if (l.status === 401) continue;
    const u = new URL(l.url);
    // Operation polling and the organization's connection data (auth check, API locations)
    // are not reads of a managed object.
    if (/operation(s|results|statuses)|\/_apis\/connectiondata$/i.test(u.pathname)) continue;
    u.searchParams.delete("api-version");
    const query = u.searchParams.toString();
    const key = `${l.service} ${u.pathname.toLowerCase()}${query ? `?${decodeURIComponent(query)}` : ""}`;
    reads.set(key, (reads.get(key) ?? 0) + 1);
  }
  return reads;
}
