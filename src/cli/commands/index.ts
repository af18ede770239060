import { UserError } from "../../engine/errors.js";
import type { CliArgs } from "../args.js";
import type { CliIo } from "../main.js";

/** Dispatches a command; each command module is loaded only when it runs. */
export async function runCommand(command: string, args: CliArgs, io: CliIo): Promise<number> {
  switch (command) {
    case "apply":
      return (await import("./apply.js")).applyCommand(args, io);
    case "plan":
      return (await import("./plan.js")).planCommand(args, io);
    case "destroy":
      return (await import("./destroy.js")).destroyCommand(args, io);
    case "init":
      return (await import("./init.js")).initCommand(args, io);
    case "schema":
      return (await import("./schema.js")).schemaCommand(args, io);
    case "verify":
      return (await import("./verify.js")).verifyCommand(args, io);
    case "sandbox":
      return (await import("./sandbox.js")).sandboxCommand(args, io);
    default:
      throw new UserError(`Unknown command "${command}"`, "See --help.");
  }
}
