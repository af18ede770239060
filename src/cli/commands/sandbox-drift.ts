import { UserError } from "../../engine/errors.js";
import type { CliArgs } from "../args.js";
import type { CliIo } from "../main.js";
import { openSession } from "../session.js";

/**
 * `sandbox drift [--dir D] [KIND ...]`: out-of-band changes to a sandbox deployment, made
 * through the public APIs like a careless colleague would, so `plan` and `apply` can show
 * that they find and repair them. No KIND = all kinds.
 */
export async function driftCommand(args: CliArgs, io: CliIo, dir: string): Promise<number> {
  const [{ startSandbox }, { applyDrift, driftKinds }] = await Promise.all([
    import("../../sandbox/index.js"),
    import("../../sandbox/drift/index.js"),
  ]);
  const kinds = args.positionals.slice(1);
  const unknown = kinds.filter((k) => !(driftKinds as readonly string[]).includes(k));
  if (unknown.length) {
    throw new UserError(`Unknown drift kind ${unknown.join(", ")}`, `Kinds: ${driftKinds.join(", ")}.`);
  }
  const sandbox = await startSandbox({ dir });
  try {
    const session = await openSession({ ...args, sandbox: dir }, io, { sandbox });
    const made = await applyDrift({
      target: session.target,
      answers: session.answers,
      names: session.names,
      kinds: (kinds.length ? kinds : driftKinds) as (typeof driftKinds)[number][],
    });
    for (const d of made) io.stdout.write(`drift ${d.kind}: ${d.description}\n`);
    return 0;
  } finally {
    await sandbox.close();
  }
}
