import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import xterm from "@xterm/headless";
import { binPath, cleanEnv } from "./cli.js";

const bridge = fileURLToPath(new URL("./pty-bridge.py", import.meta.url));

/** Keys as a terminal sends them. */
export const keys = {
  enter: "\r",
  down: "\x1b[B",
  up: "\x1b[A",
  space: " ",
  ctrlC: "\x03",
  backspace: "\x7f",
} as const;

/**
 * The built CLI in a real pseudo-terminal (python3's pty module, no native addon) of 80x30,
 * its output rendered by a headless xterm so tests read the SCREEN a user would see.
 */
export class PtySession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly term: InstanceType<typeof xterm.Terminal>;
  private raw = "";
  readonly exited: Promise<number | null>;

  constructor(
    args: readonly string[],
    opts: { cwd: string; env?: NodeJS.ProcessEnv; cols?: number; rows?: number },
  ) {
    const cols = opts.cols ?? 80;
    const rows = opts.rows ?? 30;
    this.term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 5000 });
    const env: NodeJS.ProcessEnv = { ...cleanEnv(), TERM: "xterm-256color", ...opts.env };
    delete env.CI;
    this.child = spawn("python3", [bridge, String(cols), String(rows), process.execPath, binPath, ...args], {
      cwd: opts.cwd,
      env,
    });
    this.child.stdout.on("data", (d: Buffer) => {
      const text = d.toString("utf8");
      this.raw += text;
      this.term.write(text);
    });
    this.child.stderr.on("data", (d: Buffer) => (this.raw += d.toString("utf8")));
    this.exited = new Promise((resolve) => this.child.on("close", (code) => resolve(code)));
  }

  /** Everything printed so far, as raw text (with escape codes). */
  get output(): string {
    return this.raw;
  }

  /** The visible screen plus scrollback, as plain lines. */
  screen(): string {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n").replace(/\n+$/, "");
  }

  write(data: string): void {
    this.child.stdin.write(data);
  }

  /** Waits until the screen matches, or fails after the deadline with the screen in the message. */
  async waitFor(pattern: RegExp | string, ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    const matches = () => {
      const s = this.screen();
      return typeof pattern === "string" ? s.includes(pattern) : pattern.test(s);
    };
    while (!matches()) {
      if (Date.now() > deadline) throw new Error(`Screen never showed ${String(pattern)}:\n${this.screen()}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.child.stdout.off("data", done);
          resolve();
        };
        const t = setTimeout(done, 200);
        this.child.stdout.once("data", done);
      });
    }
    // let xterm finish parsing what arrived
    await new Promise<void>((r) => this.term.write("", r));
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }
}
