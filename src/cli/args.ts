import { quoteIfSafe } from "../answers/secret-guard.js";
import { closestKey } from "../answers/did-you-mean.js";
import { UserError } from "../engine/errors.js";

/** Parsed command line. Every flag here is listed in --help (src/cli/help.ts). */
export interface CliArgs {
  readonly command: string | undefined;
  readonly positionals: readonly string[];
  readonly help: boolean;
  readonly version: boolean;
  readonly debug: boolean;
  readonly answers?: string;
  readonly nonInteractive: boolean;
  readonly yes: boolean;
  /** `--sandbox` alone -> "" (default folder); `--sandbox=DIR` -> DIR. */
  readonly sandbox?: string;
  readonly output: "auto" | "tty" | "plain" | "json";
  readonly detailedExitcode: boolean;
  readonly replaceEditedFiles: boolean;
  readonly confirm?: string;
  readonly concurrency?: number;
  readonly dir?: string;
  readonly port?: number;
  readonly speed?: number;
  readonly faults?: string;
  readonly seed?: number;
  readonly save?: string;
  /** `sandbox seed-repo --stack S [--with-dockerfile]`: which sample app to push. */
  readonly stack?: string;
  readonly withDockerfile: boolean;
  /** verify: approve gates (sandbox only). */
  readonly approve: boolean;
  /** verify: how long to wait, e.g. "90s", "10m" (parsed by the command). */
  readonly timeout?: string;
  /** Answer overrides; shown as "from flag" in the review. */
  readonly overrides: {
    readonly app?: string;
    readonly tenant?: string;
    readonly subscription?: string;
    readonly location?: string;
    readonly organization?: string;
    readonly project?: string;
    readonly repository?: string;
  };
}

type FlagKind = "bool" | "string" | "int" | "number";
const flags: Record<string, FlagKind> = {
  help: "bool",
  version: "bool",
  debug: "bool",
  answers: "string",
  "non-interactive": "bool",
  yes: "bool",
  output: "string",
  "detailed-exitcode": "bool",
  "replace-edited-files": "bool",
  confirm: "string",
  concurrency: "int",
  dir: "string",
  port: "int",
  speed: "number",
  faults: "string",
  seed: "int",
  save: "string",
  stack: "string",
  "with-dockerfile": "bool",
  approve: "bool",
  timeout: "string",
  app: "string",
  tenant: "string",
  subscription: "string",
  location: "string",
  organization: "string",
  project: "string",
  repository: "string",
};
const aliases: Record<string, string> = { h: "help", v: "version", y: "yes" };
const outputs = ["auto", "tty", "plain", "json"] as const;

function closest(name: string): string | undefined {
  return closestKey(name, [...Object.keys(flags), "sandbox"]);
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const values: Record<string, string | boolean | number> = {};
  const positionals: string[] = [];
  let sandbox: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const body = long ? arg.slice(2) : arg.slice(1);
    const eq = body.indexOf("=");
    const rawName = eq >= 0 ? body.slice(0, eq) : body;
    // Own properties only: "--constructor" or "-valueOf" must not find Object.prototype's.
    const name = long ? rawName : Object.hasOwn(aliases, rawName) ? aliases[rawName] : undefined;
    if (name === "sandbox") {
      sandbox = eq >= 0 ? body.slice(eq + 1) : "";
      continue;
    }
    const kind = name && Object.hasOwn(flags, name) ? flags[name] : undefined;
    if (!name || !kind) {
      const guess = closest(rawName);
      // Only the option's name: an inline value (`--password=...`) may be a pasted secret.
      throw new UserError(
        `Unknown option ${long ? "--" : "-"}${rawName}`,
        guess ? `Did you mean --${guess}? See --help.` : "See --help for the options.",
      );
    }
    if (kind === "bool") {
      if (eq >= 0) throw new UserError(`Option --${name} takes no value`, `Write --${name} alone.`);
      values[name] = true;
      continue;
    }
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : argv[i + 1];
    if (eq < 0) i++;
    if (value === undefined || (eq < 0 && value.startsWith("--"))) {
      throw new UserError(`Option --${name} needs a value`, `For example --${name}=${example(name)}.`);
    }
    if (kind === "int" || kind === "number") {
      const n = Number(value);
      if (!Number.isFinite(n) || (kind === "int" && !Number.isInteger(n)) || n < 0) {
        throw new UserError(
          `Option --${name} must be a ${kind === "int" ? "whole " : ""}number >= 0, got ${quoteIfSafe(value)}`,
        );
      }
      values[name] = n;
    } else {
      values[name] = value;
    }
    value = undefined;
  }
  const output = (values.output as string | undefined) ?? "auto";
  if (!(outputs as readonly string[]).includes(output)) {
    throw new UserError(`Option --output must be one of ${outputs.join(", ")}, got ${quoteIfSafe(output)}`);
  }
  if (values.concurrency === 0) throw new UserError("Option --concurrency must be at least 1");
  const str = (k: string) => values[k] as string | undefined;
  const num = (k: string) => values[k] as number | undefined;
  const overrides = Object.fromEntries(
    (["app", "tenant", "subscription", "location", "organization", "project", "repository"] as const)
      .filter((k) => str(k) !== undefined)
      .map((k) => [k, str(k)]),
  );
  return {
    command: positionals[0],
    positionals: positionals.slice(1),
    help: values.help === true,
    version: values.version === true,
    debug: values.debug === true,
    ...(str("answers") !== undefined ? { answers: str("answers") } : {}),
    nonInteractive: values["non-interactive"] === true,
    yes: values.yes === true,
    ...(sandbox !== undefined ? { sandbox } : {}),
    output: output as CliArgs["output"],
    detailedExitcode: values["detailed-exitcode"] === true,
    replaceEditedFiles: values["replace-edited-files"] === true,
    ...(str("confirm") !== undefined ? { confirm: str("confirm") } : {}),
    ...(num("concurrency") !== undefined ? { concurrency: num("concurrency") } : {}),
    ...(str("dir") !== undefined ? { dir: str("dir") } : {}),
    ...(num("port") !== undefined ? { port: num("port") } : {}),
    ...(num("speed") !== undefined ? { speed: num("speed") } : {}),
    ...(str("faults") !== undefined ? { faults: str("faults") } : {}),
    ...(num("seed") !== undefined ? { seed: num("seed") } : {}),
    ...(str("save") !== undefined ? { save: str("save") } : {}),
    ...(str("stack") !== undefined ? { stack: str("stack") } : {}),
    withDockerfile: values["with-dockerfile"] === true,
    approve: values.approve === true,
    ...(str("timeout") !== undefined ? { timeout: str("timeout") } : {}),
    overrides,
  };
}

function example(name: string): string {
  switch (name) {
    case "answers":
      return "aks-bootstrap.yaml";
    case "output":
      return "json";
    case "confirm":
      return "myapp";
    case "timeout":
      return "30m";
    default:
      return "VALUE";
  }
}
