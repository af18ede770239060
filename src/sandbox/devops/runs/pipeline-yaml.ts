import { parse } from "yaml";
import type { StepPlan } from "./run-state.js";

/**
 * A YAML pipeline as a run executes it: read from the repository at the run's commit, step
 * templates (`- template: x.yml`) inlined with their parameters, and the three shapes of the
 * schema (stages / jobs / steps) normalized to stages of jobs of steps.
 */
export interface StepModel {
  readonly displayName: string;
  readonly plan: StepPlan;
}

export interface JobModel {
  readonly name: string;
  readonly displayName: string;
  readonly dependsOn: readonly string[];
  readonly condition?: string;
  /** Deployment job: the environment it deploys to. */
  readonly environment?: string;
  /** `pool: server`: an agentless job. */
  readonly server: boolean;
  readonly variables: Record<string, string>;
  readonly groups: readonly string[];
  readonly steps: readonly StepModel[];
}

export interface StageModel {
  readonly name: string;
  readonly displayName: string;
  readonly dependsOn: readonly string[];
  readonly condition?: string;
  readonly variables: Record<string, string>;
  readonly groups: readonly string[];
  readonly jobs: readonly JobModel[];
}

export interface BranchFilter {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export interface PipelineModel {
  /** `trigger`: undefined = every branch (the default), "none" = no CI. */
  readonly trigger: BranchFilter | "none";
  /** `trigger.paths`: a push runs CI only when a changed file passes them. */
  readonly triggerPaths: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  readonly pipelineResources: readonly { alias: string; source: string; trigger?: BranchFilter }[];
  readonly variables: Record<string, string>;
  readonly groups: readonly string[];
  readonly stages: readonly StageModel[];
}

/** A YAML problem, worded as Azure Pipelines words it (file, then what is wrong). */
export class PipelineYamlError extends Error {}

type Yaml = Record<string, unknown>;
type ReadFile = (path: string) => string | undefined;

const isObj = (v: unknown): v is Yaml => typeof v === "object" && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const asText = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === "boolean" ? (v ? "True" : "False") : String(v);

function parseFile(path: string, read: ReadFile): unknown {
  const text = read(path);
  if (text === undefined) throw new PipelineYamlError(`File ${path} not found in repository.`);
  try {
    return parse(text);
  } catch (e) {
    throw new PipelineYamlError(`${path}: ${(e as Error).message.split("\n")[0]}`);
  }
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/") + 1) || "/";
}

function joinPath(dir: string, rel: string): string {
  const parts = (rel.startsWith("/") ? rel : `${dir}${rel}`).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return `/${out.join("/")}`;
}

/** Replaces `${{ parameters.x }}` in every string of `node` (a whole-string reference keeps its type). */
function substitute(node: unknown, params: Record<string, unknown>, file: string): unknown {
  if (typeof node === "string") {
    const whole = /^\$\{\{\s*parameters\.([\w.]+)\s*\}\}$/.exec(node);
    if (whole) return lookupParam(params, whole[1] as string, file);
    return node.replace(
      /\$\{\{\s*parameters\.([\w.]+)\s*\}\}/g,
      (_m, name: string) => asText(lookupParam(params, name, file)) ?? "",
    );
  }
  if (Array.isArray(node)) return node.map((n) => substitute(n, params, file));
  if (isObj(node))
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substitute(v, params, file)]));
  return node;
}

function lookupParam(params: Record<string, unknown>, name: string, file: string): unknown {
  const key = Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) throw new PipelineYamlError(`${file}: Unrecognized value: 'parameters.${name}'.`);
  return params[key];
}

/** Typed parameter values: declared defaults, overridden by what the caller passes. */
function bindParameters(declared: unknown, given: Yaml, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of asList(declared)) {
    if (!isObj(p) || typeof p.name !== "string") continue;
    const raw = given[p.name] ?? p.default;
    if (raw === undefined)
      throw new PipelineYamlError(`${file}: A value for the '${p.name}' parameter must be provided.`);
    if (Array.isArray(p.values) && !p.values.map(String).includes(String(raw)))
      throw new PipelineYamlError(
        `${file}: The '${p.name}' parameter value '${String(raw)}' is not a valid value (allowed: ${p.values.join(", ")}).`,
      );
    out[p.name] = p.type === "boolean" ? raw === true || String(raw).toLowerCase() === "true" : raw;
  }
  for (const k of Object.keys(given)) {
    if (!(k in out)) throw new PipelineYamlError(`${file}: Unexpected parameter '${k}'.`);
  }
  return out;
}

/** An item of a stages/jobs/steps list, with the file it comes from (templates resolve relative to it). */
interface Located {
  readonly item: Yaml;
  readonly file: string;
}

/**
 * Inlines `- template: x.yml` entries of a `stages`, `jobs` or `steps` list: the template's
 * list of the same kind, with its parameters bound, resolved relative to the including file.
 */
function expandList(
  list: unknown,
  key: "stages" | "jobs" | "steps",
  file: string,
  read: ReadFile,
  depth = 0,
): Located[] {
  if (depth > 20) throw new PipelineYamlError(`${file}: Maximum template nesting depth exceeded.`);
  const out: Located[] = [];
  for (const s of asList(list)) {
    if (!isObj(s)) throw new PipelineYamlError(`${file}: Each entry of ${key} must be a mapping.`);
    if (typeof s.template === "string") {
      const path = joinPath(dirOf(file), s.template);
      const doc = parseFile(path, read);
      if (!isObj(doc)) throw new PipelineYamlError(`${path}: A template must be a mapping.`);
      if (doc[key] === undefined)
        throw new PipelineYamlError(`${path}: A template used in ${key} must define ${key}.`);
      const params = bindParameters(doc.parameters, isObj(s.parameters) ? s.parameters : {}, path);
      out.push(...expandList(substitute(doc[key], params, path), key, path, read, depth + 1));
    } else out.push({ item: s, file });
  }
  return out;
}

function expandSteps(steps: unknown, file: string, read: ReadFile): Located[] {
  return expandList(steps, "steps", file, read);
}

function variablesOf(v: unknown): { variables: Record<string, string>; groups: string[] } {
  const variables: Record<string, string> = {};
  const groups: string[] = [];
  if (isObj(v)) for (const [k, val] of Object.entries(v)) variables[k] = asText(val) ?? "";
  for (const item of Array.isArray(v) ? v : []) {
    if (!isObj(item)) continue;
    if (typeof item.group === "string") groups.push(item.group);
    else if (typeof item.name === "string") variables[item.name] = asText(item.value) ?? "";
  }
  return { variables, groups };
}

const STEP_KINDS = [
  "task",
  "script",
  "bash",
  "pwsh",
  "powershell",
  "checkout",
  "download",
  "publish",
] as const;

function stepModel(s: Yaml, file: string): StepModel {
  const kind = STEP_KINDS.find((k) => s[k] !== undefined);
  if (!kind) throw new PipelineYamlError(`${file}: Unexpected step: ${Object.keys(s).join(", ")}.`);
  const inputs: Record<string, string> = {};
  if (isObj(s.inputs)) for (const [k, v] of Object.entries(s.inputs)) inputs[k] = asText(v) ?? "";
  const env: Record<string, string> = {};
  if (isObj(s.env)) for (const [k, v] of Object.entries(s.env)) env[k] = asText(v) ?? "";
  const common = {
    inputs,
    ...(typeof s.condition === "string" ? { condition: s.condition } : {}),
    ...(s.continueOnError === true ? { continueOnError: true } : {}),
    ...(s.timeoutInMinutes !== undefined ? { timeoutInMinutes: Number(s.timeoutInMinutes) } : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
  };
  const name = typeof s.displayName === "string" ? s.displayName : undefined;
  if (kind === "task") {
    const task = String(s.task);
    return { displayName: name ?? task.split("@")[0] ?? task, plan: { kind: "task", task, ...common } };
  }
  if (kind === "checkout")
    return { displayName: name ?? `Checkout ${String(s.checkout)}`, plan: { kind: "checkout", ...common } };
  if (kind === "download")
    return { displayName: name ?? `Download ${String(s.download)}`, plan: { kind: "download", ...common } };
  if (kind === "publish") return { displayName: name ?? "Publish", plan: { kind: "publish", ...common } };
  const script = String(s[kind]);
  return {
    displayName: name ?? (kind === "script" ? "CmdLine" : kind === "bash" ? "Bash" : "PowerShell"),
    plan: { kind: "script", script, ...common },
  };
}

function dependsOnOf(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return asList(v).map(String);
}

function jobModel(j: Yaml, file: string, read: ReadFile, index: number): JobModel {
  const isDeployment = typeof j.deployment === "string";
  const name = String(isDeployment ? j.deployment : (j.job ?? `Job${index === 0 ? "" : index + 1}`));
  let steps: unknown = j.steps;
  let environment: string | undefined;
  if (isDeployment) {
    const env = j.environment;
    environment = isObj(env) ? String(env.name) : env === undefined ? undefined : String(env);
    if (!environment)
      throw new PipelineYamlError(`${file}: Deployment job '${name}' must name an environment.`);
    const strategy = isObj(j.strategy) ? j.strategy : {};
    const runOnce = isObj(strategy.runOnce) ? strategy.runOnce : undefined;
    if (!runOnce)
      throw new PipelineYamlError(
        `${file}: Deployment job '${name}' needs strategy.runOnce (the only strategy the sandbox runs).`,
      );
    steps = isObj(runOnce.deploy) ? runOnce.deploy.steps : undefined;
  }
  const pool = j.pool;
  const server = pool === "server" || (isObj(pool) && pool.name === "server");
  const { variables, groups } = variablesOf(j.variables);
  const expanded = expandSteps(steps, file, read)
    .filter(({ item }) => item.checkout !== "none")
    .map(({ item, file: from }) => stepModel(item, from));
  // A regular job checks out its repository first; deployment and server jobs do not.
  const noCheckout = expandSteps(steps, file, read).some(({ item }) => item.checkout === "none");
  const withCheckout =
    !isDeployment && !server && !noCheckout && !expanded.some((s) => s.plan.kind === "checkout")
      ? [{ displayName: "Checkout self", plan: { kind: "checkout" as const, inputs: {} } }, ...expanded]
      : expanded;
  return {
    name,
    displayName: typeof j.displayName === "string" ? j.displayName : name,
    dependsOn: dependsOnOf(j.dependsOn) ?? [],
    ...(typeof j.condition === "string" ? { condition: j.condition } : {}),
    ...(environment ? { environment } : {}),
    server,
    variables,
    groups,
    steps: withCheckout,
  };
}

function branchFilter(v: unknown): BranchFilter | "none" {
  if (v === "none") return "none";
  if (v === undefined || v === null) return { include: ["*"], exclude: [] };
  if (Array.isArray(v)) return { include: v.map(String), exclude: [] };
  if (isObj(v)) {
    const b = isObj(v.branches) ? v.branches : {};
    const include = asList(b.include).map(String);
    return { include: include.length > 0 ? include : ["*"], exclude: asList(b.exclude).map(String) };
  }
  return { include: [String(v)], exclude: [] };
}

/** Whether `refName` passes a branch filter (names may omit refs/heads/, `*` is a wildcard). */
export function branchMatches(filter: BranchFilter, refName: string): boolean {
  const full = (p: string) => (p.startsWith("refs/") ? p : `refs/heads/${p}`);
  const test = (p: string) => {
    const re = new RegExp(
      `^${full(p)
        .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")}$`,
      "i",
    );
    return re.test(refName) || p === "*";
  };
  return filter.include.some(test) && !filter.exclude.some(test);
}

/** Reads and normalizes the pipeline file `path` (repository path, leading "/"). */
export function loadPipeline(
  path: string,
  read: ReadFile,
  templateParameters: Readonly<Record<string, string>> = {},
): PipelineModel {
  const raw = parseFile(path, read);
  if (!isObj(raw)) throw new PipelineYamlError(`${path}: The pipeline must be a mapping.`);
  // Runtime parameters: the root `parameters`, bound to the run's templateParameters.
  const { parameters: declared, ...body } = raw;
  const doc = substitute(body, bindParameters(declared, templateParameters, path), path) as Yaml;
  const top = variablesOf(doc.variables);
  let stagesYaml: Located[];
  if (doc.stages !== undefined) stagesYaml = expandList(doc.stages, "stages", path, read);
  else if (doc.jobs !== undefined)
    stagesYaml = [{ item: { stage: "__default", jobs: doc.jobs }, file: path }];
  else if (doc.steps !== undefined)
    stagesYaml = [
      { item: { stage: "__default", jobs: [{ job: "Job", pool: doc.pool, steps: doc.steps }] }, file: path },
    ];
  else throw new PipelineYamlError(`${path}: The pipeline has no stages, jobs or steps.`);
  const stages = stagesYaml.map(({ item: st, file }, i): StageModel => {
    const name = String(st.stage ?? `Stage${i + 1}`);
    const { variables, groups } = variablesOf(st.variables);
    const prev = stagesYaml[i - 1]?.item;
    return {
      name,
      displayName: typeof st.displayName === "string" ? st.displayName : name,
      // Without dependsOn a stage depends on the one before it.
      dependsOn: dependsOnOf(st.dependsOn) ?? (prev ? [String(prev.stage ?? `Stage${i}`)] : []),
      ...(typeof st.condition === "string" ? { condition: st.condition } : {}),
      variables,
      groups,
      jobs: expandList(st.jobs, "jobs", file, read).map(({ item, file: from }, k) =>
        jobModel(item, from, read, k),
      ),
    };
  });
  const resources = isObj(doc.resources) ? doc.resources : {};
  const pipelineResources = asList(resources.pipelines)
    .filter(isObj)
    .map((p) => {
      const t = p.trigger;
      const trigger =
        t === undefined || t === "none" || t === false
          ? undefined
          : t === true
            ? { include: ["*"], exclude: [] }
            : (branchFilter(t) as BranchFilter);
      return {
        alias: String(p.pipeline),
        source: String(p.source ?? p.pipeline),
        ...(trigger ? { trigger } : {}),
      };
    });
  const paths = isObj(doc.trigger) && isObj(doc.trigger.paths) ? doc.trigger.paths : {};
  const triggerPaths = {
    include: asList(paths.include).map(String),
    exclude: asList(paths.exclude).map(String),
  };
  return {
    trigger: branchFilter(doc.trigger),
    triggerPaths,
    pipelineResources,
    variables: top.variables,
    groups: top.groups,
    stages,
  };
}
