import { UserError } from "../../engine/errors.js";
import type { CliArgs } from "../args.js";
import { gatherAnswers } from "../gather.js";
import type { CliIo } from "../main.js";
import { isInteractive, startSandboxFor } from "../session.js";

/** `init`: run the wizard and save the answers file; changes nothing in the clouds. */
export async function initCommand(args: CliArgs, io: CliIo): Promise<number> {
  if (!isInteractive(args, io)) {
    throw new UserError(
      "init asks questions and needs a terminal",
      "Run it in a terminal, or write the answers file yourself (see `aks-bootstrap schema` and the README's example).",
    );
  }
  const sandbox = await startSandboxFor(args, io);
  try {
    await gatherAnswers(args, io, { interactive: true, forceWizard: true, ...(sandbox ? { sandbox } : {}) });
    return 0;
  } finally {
    await sandbox?.close();
  }
}
