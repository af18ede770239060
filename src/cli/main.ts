import { readFileSync } from "node:fs";
import { AbortedError, UserError } from "../engine/errors.js";
import { parseArgs, type CliArgs } from "./args.js";
import { ExitCode } from "./exit-codes.js";
import { commandHelp, implementedCommands, overviewHelp } from "./help.js";
import { renderError } from "./render-error.js";

export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the CLI; returns the exit code. The only owner of exit codes. */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const ctx: CliIo = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
  };
  let args: CliArgs | undefined;
  try {
    args = parseArgs(argv);
    if (args.version) {
      ctx.stdout.write(`${version()}\n`);
      return ExitCode.ok;
    }
    const command = args.command ?? "apply";
    if (args.help || command === "help") {
      const topic = command === "help" ? args.positionals[0] : args.command;
      ctx.stdout.write(`${(topic && commandHelp[topic]) || overviewHelp(version())}\n`);
      return ExitCode.ok;
    }
    if (!(implementedCommands as readonly string[]).includes(command)) {
      throw new UserError(
        `Unknown command "${command}"`,
        `Commands: ${implementedCommands.join(", ")}. See --help.`,
      );
    }
    const { runCommand } = await import("./commands/index.js");
    return await runCommand(command, args, ctx);
  } catch (err) {
    // @inquirer/prompts rejects with ExitPromptError on Ctrl-C inside a prompt.
    const interrupted =
      err instanceof AbortedError || (err instanceof Error && err.name === "ExitPromptError");
    ctx.stderr.write(renderError(interrupted ? new AbortedError() : err, args?.debug ?? false));
    return interrupted ? ExitCode.interrupted : ExitCode.error;
  }
}
