import { PassThrough } from "node:stream";
import { main, type CliIo } from "../../src/cli/main.js";
import { cleanEnv } from "../helpers/cli.js";

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
export function planEvents(
  ndjson: string,
): Map<
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
    if (e.type === "plan" && e.stepId) out.set(e.stepId, e.change);
  }
  return out;
}
