/**
 * Runs the built CLI (npm run build first) against a sandbox folder, as a user would: a child
 * process without a TTY. Used by the chaos and crash suites and by bench/chaos-sweep.mjs.
 *
 * Self-contained on purpose (node builtins only, erasable TypeScript) so that the sweep, a
 * plain .mjs script, imports it with Node's type stripping.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const binPath = fileURLToPath(new URL("../../bin/aks-bootstrap.js", import.meta.url));
let cliPath = binPath;

/** Runs another copy of the CLI from now on (the sweep snapshots the build it measures). */
export function useCli(path: string): void {
  cliPath = path;
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface ApplyOptions {
  /** Sandbox state folder (`--sandbox=DIR`). */
  readonly dir: string;
  readonly faults?: string;
  readonly seed?: number;
  readonly speed?: number;
  readonly output?: "plain" | "json";
  readonly answers?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** The environment without variables that would change answers or reach real Azure. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(AZURE_|AKS_BOOTSTRAP_|MSI_|IDENTITY_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

export function applyArgs(o: ApplyOptions): string[] {
  return [
    "apply",
    `--sandbox=${o.dir}`,
    "--non-interactive",
    "--yes",
    "--output",
    o.output ?? "plain",
    ...(o.answers ? ["--answers", o.answers] : []),
    ...(o.faults ? ["--faults", o.faults] : []),
    ...(o.seed !== undefined ? ["--seed", String(o.seed)] : []),
    ...(o.speed !== undefined ? ["--speed", String(o.speed)] : []),
  ];
}

type Child = ChildProcessByStdio<null, Readable, Readable>;

export function spawnCli(
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Child {
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: cleanEnv(opts.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs the CLI to its end; kills it (and rejects) after `timeoutMs`. */
export function runCli(
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = Date.now();
  const child = spawnCli(args, opts);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `aks-bootstrap ${args.join(" ")} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function runApply(o: ApplyOptions & { timeoutMs?: number }): Promise<RunResult> {
  return runCli(applyArgs(o), {
    ...(o.env ? { env: o.env } : {}),
    ...(o.cwd ? { cwd: o.cwd } : {}),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  });
}

/** One NDJSON engine event, as `--output json` prints it (see src/engine/types.ts). */
export interface EventLine {
  readonly type: string;
  readonly seq: number;
  readonly mode?: string;
  readonly stepId?: string;
  readonly status?: string;
  readonly detail?: string;
  readonly outcome?: string;
}

/**
 * A running `apply --output json`, read event by event, so a test can act at an exact point
 * (e.g. kill -9 after the third step finished) by waiting for a condition with a deadline.
 */
export interface WatchedRun {
  readonly child: Child;
  readonly events: EventLine[];
  /** Resolves with the first event (seen or future) that matches; rejects at the deadline or on exit. */
  waitFor(match: (e: EventLine, all: readonly EventLine[]) => boolean, timeoutMs: number): Promise<EventLine>;
  /** Sends SIGKILL and resolves when the process is gone. */
  kill9(): Promise<void>;
  readonly exited: Promise<RunResult>;
}

export function watchApply(o: ApplyOptions): WatchedRun {
  const started = Date.now();
  const child = spawnCli(applyArgs({ ...o, output: "json" }), {
    ...(o.env ? { env: o.env } : {}),
    ...(o.cwd ? { cwd: o.cwd } : {}),
  });
  const events: EventLine[] = [];
  const waiters = new Set<() => void>();
  let stdout = "";
  let stderr = "";
  let partial = "";
  let done = false;
  child.stdout.on("data", (d: Buffer) => {
    const text = d.toString();
    stdout += text;
    partial += text;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as EventLine);
      } catch {
        // Not an event line (never expected with --output json); kept in stdout for messages.
      }
    }
    for (const w of [...waiters]) w();
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<RunResult>((resolve) => {
    child.on("close", (code, signal) => {
      done = true;
      for (const w of [...waiters]) w();
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return {
    child,
    events,
    exited,
    waitFor(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find((e, i) => match(e, events.slice(0, i + 1)));
          if (hit) finish(() => resolve(hit));
          else if (done) finish(() => reject(new Error(`the run ended before the awaited event\n${stderr}`)));
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(new Error(`no awaited event within ${timeoutMs} ms (${events.length} events)`)),
            ),
          timeoutMs,
        );
        const finish = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    async kill9() {
      if (!done) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Apply-phase events only: the plan phase emits step-status events too. */
export function applyPhase(all: readonly EventLine[]): readonly EventLine[] {
  const start = all.findIndex((e) => e.type === "run-start" && e.mode === "apply");
  return start < 0 ? [] : all.slice(start);
}

export type KillPoint = (e: EventLine, all: readonly EventLine[]) => boolean;

/** Once n steps of the apply have finished (a step boundary). */
export const nthSucceeded =
  (n: number): KillPoint =>
  (_e, all) =>
    applyPhase(all).filter((x) => x.type === "step-status" && x.status === "succeeded").length >= n;

/** When the apply starts converging the given step. */
export const applying =
  (stepId: string): KillPoint =>
  (e, all) =>
    applyPhase(all).length > 0 && e.type === "step-status" && e.stepId === stepId && e.status === "applying";

/** At the first progress report of the given step: inside its long-running operation. */
export const progressOf =
  (stepId: string): KillPoint =>
  (e, all) =>
    applyPhase(all).length > 0 && e.type === "progress" && e.stepId === stepId;
