import { resolve } from "node:path";
import { UserError } from "../../engine/errors.js";
import type { CliArgs } from "../args.js";
import type { CliIo } from "../main.js";

/** `sandbox serve|env|state|drift|platform|seed-repo`: the local cloud as a process of its own, and a look at its state. */
export async function sandboxCommand(args: CliArgs, io: CliIo): Promise<number> {
  const sub = args.positionals[0];
  const dir = resolve(io.cwd, args.dir ?? ".sandbox");
  switch (sub) {
    case "serve": {
      const { serveSandbox } = await import("../../sandbox/serve.js");
      const sandbox = await serveSandbox(
        {
          dir,
          ...(args.port !== undefined ? { port: args.port } : {}),
          ...(args.speed !== undefined ? { speed: args.speed } : {}),
          ...(args.faults !== undefined ? { faults: args.faults } : {}),
          ...(args.seed !== undefined ? { seed: args.seed } : {}),
        },
        io.stdout,
      );
      await new Promise<void>((done) => {
        process.once("SIGTERM", done);
        process.once("SIGINT", done);
      });
      await sandbox.close();
      return 0;
    }
    case "state": {
      const { readSandboxState } = await import("../../sandbox/state-cli.js");
      io.stdout.write(`${JSON.stringify(await readSandboxState(dir), null, 2)}\n`);
      return 0;
    }
    case "env": {
      const { formatExports, sandboxEnv } = await import("../../sandbox/env.js");
      io.stdout.write(formatExports(sandboxEnv(dir)));
      return 0;
    }
    case "drift": {
      const { driftCommand } = await import("./sandbox-drift.js");
      return driftCommand(args, io, dir);
    }
    case "platform": {
      const [{ startSandbox }, { seedPlatform }] = await Promise.all([
        import("../../sandbox/index.js"),
        import("../../sandbox/platform.js"),
      ]);
      const sandbox = await startSandbox({ dir, ...(args.speed !== undefined ? { speed: args.speed } : {}) });
      try {
        io.stdout.write(`${JSON.stringify(await seedPlatform(sandbox), null, 2)}\n`);
      } finally {
        await sandbox.close();
      }
      return 0;
    }
    case "seed-repo": {
      const { seedRepoCommand } = await import("./sandbox-seed-repo.js");
      return seedRepoCommand(args, io, dir);
    }
    default:
      throw new UserError(
        sub ? `Unknown sandbox command "${sub}"` : "Missing sandbox command",
        "Use `aks-bootstrap sandbox serve`, `sandbox env`, `sandbox state`, `sandbox drift`, `sandbox platform` or `sandbox seed-repo`.",
      );
  }
}
