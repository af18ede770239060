/**
 * Audits a sandbox state folder after a run: duplicates, Key Vault secret names, and whether
 * the files a crash could tear still parse.
 *
 * Self-contained on purpose (node builtins only, erasable TypeScript): bench/chaos-sweep.mjs
 * imports this file directly with Node's type stripping, so the CI suite and the long sweep
 * count duplicates the same way.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

type Json = Record<string, unknown>;

/** One group of objects that stand for the same desired object. */
export interface Duplicate {
  readonly kind: string;
  readonly key: string;
  readonly count: number;
}

/** Reads DIR/state.json (the sandbox's world; it never holds a secret value). Throws when torn. */
export function readSandboxState(dir: string): Json {
  return JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as Json;
}

const obj = (v: unknown): Json => (v && typeof v === "object" ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const lower = (v: unknown): string => str(v).toLowerCase();

function groups(kind: string, keys: readonly string[]): Duplicate[] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([key, count]) => ({ kind, key, count }));
}

const TOP_LEVEL = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/([^/]+\/[^/]+)\/([^/]+)$/;

/**
 * Every group of two or more objects that stand for one desired object:
 * - Azure resources of one type and name in different groups (globally named ones included);
 * - role assignments with the same scope, role and principal (Azure refuses a second one with
 *   another name, but a buggy emulator or client could still create one);
 * - federated credentials with the same identity, issuer and subject;
 * - Entra principals with the same display name (an identity re-created under a new principal);
 * - Azure DevOps projects, repositories, service connections, environments, variable groups,
 *   pipelines (by folder and name), approval checks (per resource), live branch policies (per
 *   type, scope and pipeline), and a pipeline listed twice in one resource's permissions.
 */
export function findDuplicates(state: Json): Duplicate[] {
  const resources = Object.values(obj(state.resources)).map(obj);
  const out: Duplicate[] = [];

  const topLevel: string[] = [];
  const roles: string[] = [];
  const feds: string[] = [];
  for (const r of resources) {
    const id = lower(r.id);
    const type = lower(r.type);
    const props = obj(obj(r.body).properties);
    if (type === "microsoft.authorization/roleassignments") {
      const scope = id.split("/providers/microsoft.authorization/roleassignments/")[0];
      const role = lower(props.roleDefinitionId).split("/").pop();
      roles.push(`${scope} ${role} ${lower(props.principalId)}`);
    } else if (type.endsWith("/federatedidentitycredentials")) {
      const parent = id.split("/federatedidentitycredentials/")[0];
      feds.push(`${parent} ${str(props.issuer)} ${str(props.subject)}`);
    } else {
      const m = TOP_LEVEL.exec(id);
      if (m) topLevel.push(`${m[1]}/${m[2]}`);
    }
  }
  out.push(...groups("azure resource", topLevel));
  out.push(...groups("role assignment", roles));
  out.push(...groups("federated credential", feds));
  out.push(
    ...groups(
      "principal",
      Object.values(obj(state.principals)).map((p) => `${str(obj(p).kind)} ${str(obj(p).displayName)}`),
    ),
  );

  const d = obj(state.devops);
  const vals = (k: string) => Object.values(obj(d[k])).map(obj);
  const projectOf = (o: Json) =>
    str(o.projectId) ||
    (Array.isArray(o.projectReferences)
      ? (o.projectReferences as unknown[]).map((p) => str(obj(p).projectId)).join("+")
      : "") ||
    (Array.isArray(o.serviceEndpointProjectReferences)
      ? (o.serviceEndpointProjectReferences as unknown[])
          .map((p) => str(obj(obj(p).projectReference).id))
          .join("+")
      : "");
  out.push(
    ...groups(
      "devops project",
      vals("projects").map((p) => lower(p.name)),
    ),
  );
  out.push(
    ...groups(
      "git repository",
      vals("repositories").map((r) => `${projectOf(r)} ${lower(r.name)}`),
    ),
  );
  out.push(
    ...groups(
      "service connection",
      vals("serviceEndpoints").map((e) => `${projectOf(e)} ${lower(e.name)}`),
    ),
  );
  out.push(
    ...groups(
      "environment",
      vals("environments").map((e) => `${projectOf(e)} ${lower(e.name)}`),
    ),
  );
  out.push(
    ...groups(
      "variable group",
      vals("variableGroups").map((g) => `${projectOf(g)} ${lower(g.name)}`),
    ),
  );
  out.push(
    ...groups(
      "pipeline",
      vals("definitions").map((p) => `${projectOf(p)} ${lower(p.path)} ${lower(p.name)}`),
    ),
  );
  out.push(
    ...groups(
      "check",
      vals("checks").map(
        (c) => `${str(obj(c.resource).type)}/${str(obj(c.resource).id)} ${lower(obj(c.type).id)}`,
      ),
    ),
  );
  out.push(
    ...groups(
      "branch policy",
      vals("policies")
        .filter((p) => p.isDeleted !== true)
        .map((p) => {
          const s = obj(p.settings);
          return `${projectOf(p)} ${lower(p.typeId)} ${JSON.stringify(s.scope)} ${str(s.buildDefinitionId)}`;
        }),
    ),
  );
  for (const [resource, perm] of Object.entries(obj(d.pipelinePermissions))) {
    const pipelines = obj(perm).pipelines;
    if (Array.isArray(pipelines))
      out.push(
        ...groups(
          `pipeline permission on ${resource}`,
          pipelines.map((p) => str(obj(p).id)),
        ),
      );
  }
  return out;
}

/** Names of the live (not soft-deleted) secrets of every vault, as `vault/secret`, lower-cased. */
export function vaultSecretNames(state: Json): string[] {
  const names: string[] = [];
  for (const [vault, data] of Object.entries(obj(state.vaults))) {
    for (const [key, secret] of Object.entries(obj(obj(data).secrets))) {
      const s = obj(secret);
      const versions = Array.isArray(s.versions) ? s.versions : [];
      if (!s.deleted && versions.length > 0) names.push(`${vault.toLowerCase()}/${key.toLowerCase()}`);
    }
  }
  return names.sort();
}

/** Lines that look like a JavaScript stack frame: never shown to a user without --debug. */
export const STACK_FRAME = /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/**
 * Whether a failed run's output says clearly what went wrong: an `error:` line and a `try:`
 * line, no stack frame, and no "unexpected" (a bug) error.
 */
export function clearFailure(output: string): { ok: boolean; why?: string } {
  if (!/^(\[\w+\]\s+)?error: /m.test(output)) return { ok: false, why: "no `error:` line" };
  if (!/^(\[\w+\]\s+)?\s*try: /m.test(output)) return { ok: false, why: "no `try:` line" };
  if (STACK_FRAME.test(output)) return { ok: false, why: "a stack trace was printed" };
  if (/error: unexpected/.test(output)) return { ok: false, why: "an unexpected error (a bug) was reported" };
  return { ok: true };
}

/** The `error:` lines of an output, without step prefixes; for grouping failure causes. */
export function errorLines(output: string): string[] {
  return [...output.matchAll(/^(?:\[\w+\]\s+)?error: (.*)$/gm)].map((m) => m[1] ?? "");
}

/**
 * Faults the sandbox really injected in a folder's life, from its traffic log (request faults
 * are logged with a `fault` field; PrincipalNotFound answers by their code) and state (failed
 * long-running operations, resources created with an eventual-consistency delay).
 */
export function injectedFaults(dir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  let text = "";
  try {
    text = readFileSync(join(dir, "traffic.jsonl"), "utf8");
  } catch {
    return counts;
  }
  for (const line of text.split("\n")) {
    if (!line) continue;
    const fault = /"fault":"([^"]+)"/.exec(line)?.[1];
    if (fault) add(fault);
    else if (line.includes('"PrincipalNotFound"')) add("principal-not-found");
  }
  const state = readSandboxState(dir);
  for (const op of Object.values(obj(state.operations))) if (obj(op).error) add("lro-fail");
  for (const r of Object.values(obj(state.resources))) if (obj(r).visibleAt !== undefined) add("eventual");
  return counts;
}
