import { UserError } from "../engine/errors.js";
import { formatPath, formatPosition, type AnswersFile, type FieldPath, type SourcePosition } from "./load.js";
import { describeIssue } from "./issues.js";
import { deriveNames, type Names } from "./names.js";
import { allFieldPaths, allowedKeysAt, closestKey } from "./schema-shape.js";
import { answersSchema, type Answers, type AnswersInput } from "./schema.js";
import { looksLikeSecret, quoteIfSafe, secretValueMessage } from "./secret-guard.js";
import { answerSources, missingAnswerMessage, type AnswerFlags, type AnswerSourceInfo } from "./sources.js";
import { nameProblems } from "./validate-names.js";

// The sources table lives in sources.ts (no dependencies, so the CLI's flag parser can import it
// cheaply); re-exported here because resolving is where it is used.
export { answerSources, missingAnswerMessage, type AnswerFlags } from "./sources.js";

/** Where an answer came from, for "shown as such" in the review screen and logs. */
export type AnswerSource = "default" | "file" | "env" | "flag" | "sandbox";

export interface ResolveInput {
  /** The parsed answers file (loadAnswersFile / parseAnswers), if any. */
  readonly file?: AnswersFile | undefined;
  /** Defaults that beat the schema's but lose to everything else, e.g. sandboxDefaults(...). */
  readonly defaults?: Partial<AnswersInput> | undefined;
  /** Usually process.env; only the variables in `answerSources` are read. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly flags?: AnswerFlags | undefined;
}

export interface ResolvedAnswers {
  readonly answers: Answers;
  /** The derived resource names (already checked against Azure's naming rules). */
  readonly names: Names;
  /** Dotted field path (arrays as a whole) -> where its value came from. */
  readonly provenance: Record<string, AnswerSource>;
  /** Dotted field path -> human detail: "answers.yaml:4:3", "--location", "AZURE_SUBSCRIPTION_ID". */
  readonly origin: Record<string, string>;
}

interface Origin {
  readonly source: AnswerSource;
  readonly detail: string;
}

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Own-property write that is safe for keys like `__proto__` coming from a file. */
function put(target: Plain, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function get(target: unknown, key: string | number): unknown {
  if (Array.isArray(target) && typeof key === "number") return target[key];
  if (isPlain(target) && typeof key === "string" && Object.hasOwn(target, key)) return target[key];
  return undefined;
}

function getPath(root: unknown, path: FieldPath): unknown {
  let v = root;
  for (const seg of path) v = get(v, seg);
  return v;
}

/**
 * Deep-merges `src` into `target`: objects merge key by key, arrays and scalars replace. Records
 * the origin of every leaf it writes (arrays are leaves) and forgets origins it overwrote.
 */
function mergeLayer(
  target: Plain,
  src: Plain,
  path: (string | number)[],
  origins: Map<string, Origin>,
  originOf: (path: FieldPath) => Origin,
): void {
  for (const key of Object.keys(src)) {
    const value = src[key];
    if (value === undefined) continue;
    const childPath = [...path, key];
    const childKey = formatPath(childPath);
    const forget = (): void => {
      for (const k of [...origins.keys()]) {
        if (k === childKey || k.startsWith(`${childKey}.`) || k.startsWith(`${childKey}[`)) origins.delete(k);
      }
    };
    if (isPlain(value)) {
      const existing = get(target, key);
      const into: Plain = isPlain(existing) ? existing : {};
      if (!isPlain(existing)) {
        forget();
        put(target, key, into);
      }
      mergeLayer(into, value, childPath, origins, originOf);
      // An empty mapping written in a file still counts as written there.
      if (Object.keys(value).length === 0 && !isPlain(existing)) origins.set(childKey, originOf(childPath));
    } else {
      forget();
      put(target, key, value);
      origins.set(childKey, originOf(childPath));
    }
  }
}

/** A nested object holding `value` at the dotted `field`. */
function nest(field: string, value: unknown): Plain {
  const parts = field.split(".");
  const root: Plain = {};
  let at = root;
  parts.forEach((p, i) => {
    if (i === parts.length - 1) put(at, p, value);
    else {
      const next: Plain = {};
      put(at, p, next);
      at = next;
    }
  });
  return root;
}

/** The origin of the value at `path`: its own, its nearest recorded ancestor's, or a descendant's. */
function originAt(path: FieldPath, origins: Map<string, Origin>): Origin | undefined {
  for (let n = path.length; n >= 0; n--) {
    const o = origins.get(formatPath(path.slice(0, n)));
    if (o) return o;
  }
  const key = formatPath(path);
  for (const [k, o] of origins) if (k.startsWith(`${key}.`) || k.startsWith(`${key}[`)) return o;
  return undefined;
}

const secretNameField = (path: FieldPath): boolean =>
  path.length === 4 && path[0] === "keyVault" && path[1] === "secrets" && path[3] === "name";
const secretEnvField = (path: FieldPath): boolean =>
  path.length === 4 && path[0] === "keyVault" && path[1] === "secrets" && path[3] === "env";

interface Problem {
  readonly line: string;
  /** File position, for ordering; problems outside the file sort last. */
  readonly pos?: SourcePosition | undefined;
}

/** The answers given so far, before validation and schema defaults. */
export interface MergedAnswers {
  /** Plain data in the answers file's shape; may be incomplete or invalid. */
  readonly raw: Record<string, unknown>;
  /** Dotted field path -> source, for the fields some source gave (no schema defaults). */
  readonly provenance: Record<string, AnswerSource>;
  readonly origin: Record<string, string>;
}

/**
 * Merges the sources with resolveAnswers' precedence but validates nothing: for the wizard, which
 * offers what was given as each prompt's default and asks for the rest.
 */
export function mergeAnswerSources(input: ResolveInput): MergedAnswers {
  const { merged, origins } = mergeSources(input);
  const provenance: Record<string, AnswerSource> = {};
  const origin: Record<string, string> = {};
  for (const [key, o] of origins) {
    provenance[key] = o.source;
    origin[key] = o.detail;
  }
  return { raw: merged, provenance, origin };
}

function mergeSources(input: ResolveInput): { merged: Plain; origins: Map<string, Origin> } {
  const { file, defaults, env = {}, flags = {} } = input;
  const merged: Plain = {};
  const origins = new Map<string, Origin>();
  if (defaults)
    mergeLayer(merged, defaults as Plain, [], origins, () => ({ source: "sandbox", detail: "sandbox" }));
  if (file) {
    mergeLayer(merged, file.raw, [], origins, (p) => ({
      source: "file",
      detail: formatPosition(file.fileName, file.positionOf(p)),
    }));
  }
  for (const info of Object.values(answerSources) as AnswerSourceInfo[]) {
    const envName = info.env.find((name) => (env[name] ?? "").trim() !== "");
    if (envName) {
      const value = (env[envName] ?? "").trim();
      mergeLayer(merged, nest(info.field, value), [], origins, () => ({ source: "env", detail: envName }));
    }
    const flagValue = flags[info.flagKey];
    if (flagValue !== undefined && flagValue.trim() !== "") {
      mergeLayer(merged, nest(info.field, flagValue.trim()), [], origins, () => ({
        source: "flag",
        detail: info.flag,
      }));
    }
  }

  return { merged, origins };
}

/**
 * Merges answers from every source and validates them: flag > env > file > defaults (e.g. the
 * sandbox's) > schema defaults. Throws one UserError listing every problem, one line each, with
 * the field path and, for answers from the file, its line:column.
 */
export function resolveAnswers(input: ResolveInput): ResolvedAnswers {
  const { file } = input;
  const { merged, origins } = mergeSources(input);

  const problems: Problem[] = [];
  /** One problem line; `at: "value"` points at the value rather than its key. */
  const report = (
    path: FieldPath,
    message: string,
    at: "key" | "value" = "value",
    shownPath = path,
  ): void => {
    const origin = originAt(path, origins);
    const field = formatPath(shownPath);
    if (origin?.source === "file" && file) {
      const pos = at === "value" ? file.valuePositionOf(path) : file.positionOf(path);
      problems.push({ line: `${formatPosition(file.fileName, pos)} ${field}: ${message}`, pos });
    } else if (origin?.source === "env") {
      problems.push({ line: `${field} (from environment variable ${origin.detail}): ${message}` });
    } else if (origin?.source === "flag") {
      problems.push({ line: `${field} (from ${origin.detail}): ${message}` });
    } else if (origin?.source === "sandbox") {
      problems.push({ line: `${field} (sandbox default): ${message}` });
    } else {
      problems.push({ line: `${field}: ${message}` });
    }
  };
  const reportMissing = (path: FieldPath): void => {
    // A whole missing section (e.g. `azure`) is reported as the answers inside it that have a
    // flag or variable, so the message says how to provide each one.
    const prefix = `${formatPath(path)}.`;
    const leaves = Object.keys(answerSources).filter((f) => f.startsWith(prefix));
    if (leaves.length) {
      for (const leaf of leaves) reportMissing(leaf.split("."));
      return;
    }
    const message = missingAnswerMessage(formatPath(path), file !== undefined);
    if (file) {
      const pos = file.positionOf(path);
      problems.push({ line: `${formatPosition(file.fileName, pos)} ${message}`, pos });
    } else problems.push({ line: message });
  };

  // Pasted secret values are caught before the schema so their message says what happened.
  const guarded = new Set<string>();
  const secrets = get(get(merged, "keyVault"), "secrets");
  if (Array.isArray(secrets)) {
    secrets.forEach((entry, i) => {
      for (const key of ["name", "env"] as const) {
        const path = ["keyVault", "secrets", i, key];
        const value = get(entry, key);
        if (typeof value !== "string") continue;
        const suspicious = looksLikeSecret(value) || /[^A-Za-z0-9_.-]/.test(value);
        if (!suspicious) continue;
        guarded.add(formatPath(path));
        report(
          path,
          secretNameField(path)
            ? secretValueMessage
            : "looks like a secret value, not an environment variable name; put the value in an environment variable and its NAME here",
        );
      }
    });
  }

  const parsed = answersSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((s): s is string | number => typeof s !== "symbol");
      if (guarded.has(formatPath(path))) continue;
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) reportUnknownKey(path, key, report);
        continue;
      }
      const value = getPath(merged, path);
      if (value === undefined && issue.code === "invalid_type") {
        reportMissing(path);
        continue;
      }
      let message = describeIssue(issue, value);
      if (
        typeof value === "string" &&
        looksLikeSecret(value) &&
        !secretNameField(path) &&
        !secretEnvField(path)
      ) {
        message += " (it looks like a secret value; secret values never belong in the answers)";
      }
      report(path, message);
    }
    throw answersError(problems, file);
  }

  for (const p of nameProblems(parsed.data)) report(p.field, p.message);
  if (problems.length > 0) throw answersError(problems, file);

  const provenance: Record<string, AnswerSource> = {};
  const origin: Record<string, string> = {};
  const visit = (v: unknown, path: (string | number)[]): void => {
    if (isPlain(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) visit(child, [...path, k]);
      return;
    }
    if (path.length === 0) return;
    const o = originAt(path, origins);
    const key = formatPath(path);
    provenance[key] = o?.source ?? "default";
    origin[key] = o?.detail ?? "default";
  };
  visit(parsed.data, []);

  return { answers: parsed.data, names: deriveNames(parsed.data), provenance, origin };
}

function reportUnknownKey(
  path: FieldPath,
  key: string,
  report: (path: FieldPath, message: string, at: "key" | "value", shownPath: FieldPath) => void,
): void {
  const placeholder = "(a key not shown here)";
  const shown = quoteIfSafe(key, placeholder);
  const allowed = allowedKeysAt(path);
  const typo = looksLikeSecret(key) ? undefined : closestKey(key, allowed);
  let message = `unknown key ${shown}`;
  if (typo) {
    message += `; did you mean \`${typo}\`?`;
  } else {
    const here = formatPath(path);
    const elsewhere = allFieldPaths().find((p) => p.at(-1) === key && formatPath(p.slice(0, -1)) !== here);
    if (elsewhere) message += `; it belongs at \`${formatPath(elsewhere).replace("[0]", "[]")}\``;
    else if (allowed.length > 0)
      message += `; expected one of ${allowed.filter((k) => k !== "$schema").join(", ")}`;
  }
  // The key is part of the field path too: mask it there as well.
  report([...path, key], message, "key", [...path, shown === placeholder ? "(unknown key)" : key]);
}

const maxLines = 25;

function answersError(problems: Problem[], file: AnswersFile | undefined): UserError {
  const sorted = [...problems].sort((a, b) => {
    if (a.pos && b.pos) return a.pos.line - b.pos.line || a.pos.column - b.pos.column;
    return a.pos ? -1 : b.pos ? 1 : 0;
  });
  const lines = [...new Set(sorted.map((p) => p.line))];
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`... and ${lines.length - maxLines} more problems`);
  const hint = file
    ? `Fix ${file.fileName} (\`aks-bootstrap schema\` describes every field), then rerun.`
    : "Pass the answers as flags or environment variables, or point --answers at an answers file.";
  return new UserError(shown.join("\n"), hint);
}

/**
 * Answers with which `apply --sandbox --non-interactive --yes` needs no input at all. The tenant,
 * subscription and organization come from the sandbox; the rest are demo values.
 */
export function sandboxDefaults(sandbox: {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly organizationUrl: string;
  readonly location?: string | undefined;
}): AnswersInput {
  return {
    app: "demo",
    azure: {
      tenantId: sandbox.tenantId,
      subscriptionId: sandbox.subscriptionId,
      location: sandbox.location ?? "westeurope",
    },
    devops: {
      organizationUrl: sandbox.organizationUrl,
      project: "demo",
      repository: "demo",
    },
    pipeline: {
      // Shows the CD pipeline's pause before production; no approvers = anyone with access resumes it.
      manualValidation: { enabled: true, approvers: [] },
    },
    keyVault: {
      secrets: [{ name: "integration-db-password", env: "INTEGRATION_DB_PASSWORD" }],
    },
  };
}
