import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import fc from "fast-check";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { main } from "../../src/cli/main.js";
import { readSandboxState, STACK_FRAME } from "./audit.js";

/**
 * Bad command lines, generated: every one exits 1 with a message naming the offending flag,
 * never a stack trace, never a network connection or listener, never a sandbox folder. Runs
 * main() in-process with captured streams. (Answers files have their own properties in
 * src/answers/properties.test.ts; these cover argv.)
 */
const root = mkdtempSync(join(tmpdir(), "aks-flags-"));
const sandboxDir = join(root, "sandbox");
afterAll(() => rmSync(root, { recursive: true, force: true }));

let connects: MockInstance;
let listens: MockInstance;
beforeEach(() => {
  // Any outgoing connection (http, https, tls) or server goes through these two.
  connects = vi.spyOn(net.Socket.prototype, "connect");
  listens = vi.spyOn(net.Server.prototype, "listen");
});
afterEach(() => vi.restoreAllMocks());

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      w.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  w.text = "";
  return w;
}

async function run(argv: readonly string[]) {
  const stdout = sink();
  const stderr = sink();
  const code = await main(argv, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    env: { NO_COLOR: "1" },
    cwd: root,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The common checks for a rejected command line. */
function expectRejected(r: { code: number; stdout: string; stderr: string }, names: string) {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(/^error: /);
  expect(r.stderr).toContain(names);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toContain("unexpected");
  expect(connects).not.toHaveBeenCalled();
  expect(listens).not.toHaveBeenCalled();
  expect(existsSync(sandboxDir)).toBe(false);
}

const KNOWN = new Set([
  "help",
  "version",
  "debug",
  "answers",
  "non-interactive",
  "yes",
  "output",
  "detailed-exitcode",
  "replace-edited-files",
  "confirm",
  "concurrency",
  "dir",
  "port",
  "speed",
  "faults",
  "seed",
  "save",
  "app",
  "tenant",
  "subscription",
  "location",
  "organization",
  "project",
  "repository",
  "sandbox",
]);

/** Valid flags, each an atomic group of tokens (a value always travels with its flag). */
const validFlag: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constantFrom(
    ["--non-interactive"],
    ["--yes"],
    ["-y"],
    ["--debug"],
    ["--detailed-exitcode"],
    ["--replace-edited-files"],
  ),
  fc.constantFrom(["--output", "json"], ["--output=plain"], ["--answers", "a.yaml"], ["--faults", "429=0.1"]),
  fc.integer({ min: 1, max: 64 }).map((n) => ["--concurrency", String(n)]),
  fc.integer({ min: 0, max: 65535 }).map((n) => [`--port=${n}`]),
  fc.nat().map((n) => ["--seed", String(n)]),
  fc.double({ min: 0.5, max: 1000, noNaN: true }).map((n) => ["--speed", String(n)]),
  fc.constantFrom(
    ["--app", "shop"],
    ["--project", "Shop"],
    ["--location", "westeurope"],
    ["--confirm", "shop"],
  ),
  fc.constant([`--sandbox=${sandboxDir}`]),
);

const command = fc.constantFrom([], ["apply"], ["plan"], ["destroy"], ["init"], ["schema"]);

/** Places `bad` among valid flag groups at a random position. */
const around = (bad: fc.Arbitrary<readonly string[]>) =>
  fc.tuple(command, fc.array(validFlag, { maxLength: 6 }), bad, fc.nat()).map(([cmd, groups, b, at]) => {
    const i = groups.length ? at % (groups.length + 1) : 0;
    return { bad: b, argv: [...cmd, ...[...groups.slice(0, i), b, ...groups.slice(i)].flat()] };
  });

const unknownName = fc
  .oneof(
    fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/),
    // Names an object lookup would find on Object.prototype.
    fc.constantFrom("constructor", "valueOf", "toString", "__proto__", "hasOwnProperty"),
    fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 20 })
      .filter((s) => !s.startsWith("-") && !s.includes("=")),
    fc.string({ minLength: 200, maxLength: 400 }).map((s) => `x${s.replace(/[=\s]/g, "")}`),
  )
  .filter((n) => !KNOWN.has(n));

const secretLike = fc.oneof(
  fc
    .stringMatching(/^[A-Za-z0-9]{24,40}$/)
    .filter((s) => /[0-9]/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s)),
  fc.stringMatching(/^[A-Za-z0-9!@#%^&*+]{14,30}$/).filter((s) => /[!@#%^&*+]/.test(s) && /[0-9]/.test(s)),
);

const RUNS = { numRuns: 200 };

describe("flags: bad command lines", () => {
  it("an unknown option anywhere is refused, named, and nothing starts", async () => {
    await fc.assert(
      fc.asyncProperty(around(unknownName.map((n) => [`--${n}`])), async ({ bad, argv }) => {
        connects.mockClear();
        listens.mockClear();
        const r = await run(argv);
        expectRejected(r, `Unknown option --${bad[0]!.slice(2)}`);
      }),
      RUNS,
    );
  });

  it("an unknown option's inline value is never echoed (a secret pasted as --password=...)", async () => {
    await fc.assert(
      fc.asyncProperty(
        around(fc.tuple(unknownName, secretLike).map(([n, s]) => [`--${n}=${s}`])),
        async ({ bad, argv }) => {
          connects.mockClear();
          listens.mockClear();
          const [name, value] = [
            bad[0]!.slice(2, bad[0]!.indexOf("=")),
            bad[0]!.slice(bad[0]!.indexOf("=") + 1),
          ];
          const r = await run(argv);
          expectRejected(r, `--${name}`);
          expect(r.stderr).not.toContain(value);
        },
      ),
      RUNS,
    );
  });

  const badValue: fc.Arbitrary<{ flag: string; tokens: readonly string[] }> = fc.oneof(
    fc
      .tuple(
        fc.constantFrom("concurrency", "port", "seed"),
        fc.oneof(
          fc.constantFrom("-1", "1.5", "abc", "NaN", "Infinity", "1e400", "0x"),
          fc.stringMatching(/^[a-z]{1,8}$/),
        ),
      )
      .map(([f, v]) => ({ flag: f, tokens: [`--${f}=${v}`] })),
    fc
      .tuple(fc.constantFrom("-1", "abc", "Infinity", "-0.5"), fc.boolean())
      .map(([v, inline]) => ({ flag: "speed", tokens: inline ? [`--speed=${v}`] : ["--speed", v] })),
    fc.constant({ flag: "concurrency", tokens: ["--concurrency", "0"] }),
    fc
      .string({ minLength: 1, maxLength: 30 })
      .filter((s) => !["auto", "tty", "plain", "json"].includes(s) && !s.startsWith("--"))
      .map((v) => ({ flag: "output", tokens: ["--output", v] })),
    fc
      .tuple(
        fc.constantFrom("yes", "non-interactive", "debug", "detailed-exitcode", "help", "version"),
        fc.string({ maxLength: 10 }),
      )
      .map(([f, v]) => ({ flag: f, tokens: [`--${f}=${v}`] })),
  );

  it("a known option with a bad value is refused, naming the option", async () => {
    await fc.assert(
      fc.asyncProperty(around(badValue.map((b) => [JSON.stringify(b)])), async ({ bad, argv }) => {
        connects.mockClear();
        listens.mockClear();
        const b = JSON.parse(bad[0]!) as { flag: string; tokens: string[] };
        const at = argv.indexOf(bad[0]!);
        // The last of a repeated option wins, so a later valid copy would rightly override it.
        const others = (part: readonly string[]) => part.filter((t) => !t.startsWith(`--${b.flag}`));
        const r = await run([...others(argv.slice(0, at)), ...b.tokens, ...others(argv.slice(at + 1))]);
        expectRejected(r, `--${b.flag}`);
      }),
      RUNS,
    );
  });

  it("a valued option at the end with no value is refused, naming it", async () => {
    const valued = fc.constantFrom(
      "answers",
      "output",
      "confirm",
      "concurrency",
      "port",
      "speed",
      "faults",
      "seed",
      "save",
      "app",
      "project",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(command, fc.array(validFlag, { maxLength: 5 }), valued),
        async ([cmd, groups, flag]) => {
          connects.mockClear();
          listens.mockClear();
          const r = await run([...cmd, ...groups.flat(), `--${flag}`]);
          expectRejected(r, `--${flag} needs a value`);
        },
      ),
      RUNS,
    );
  });

  it("an unknown command is refused, naming it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .stringMatching(/^[a-z]{1,12}$/)
          .filter((c) => !["apply", "plan", "destroy", "init", "schema", "sandbox", "help"].includes(c)),
        fc.array(validFlag, { maxLength: 4 }),
        async (cmd, groups) => {
          connects.mockClear();
          listens.mockClear();
          const r = await run([cmd, ...groups.flat()]);
          expectRejected(r, `Unknown command "${cmd}"`);
        },
      ),
      RUNS,
    );
  });
});

describe("flags: a secret pasted where a name belongs", () => {
  // Without --sandbox and with no answers file, tenant, subscription and organization are
  // missing too, so the run always stops at validation, before any network.
  const strict = ["app", "tenant", "subscription", "organization"] as const;
  const lenient = ["location", "project", "repository"] as const;

  it("is never echoed, and a field that cannot hold it is named with its flag", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...strict, ...lenient),
        secretLike,
        fc.constantFrom("apply", "plan"),
        fc.boolean(),
        async (flag, secret, cmd, inline) => {
          connects.mockClear();
          listens.mockClear();
          const value = inline ? [`--${flag}=${secret}`] : [`--${flag}`, secret];
          const r = await run([cmd, "--non-interactive", "--yes", ...value]);
          expectRejected(r, "error: ");
          expect(r.stderr + r.stdout).not.toContain(secret);
          if ((strict as readonly string[]).includes(flag)) expect(r.stderr).toContain(`(from --${flag})`);
        },
      ),
      RUNS,
    );
  });

  it("with --sandbox: refused before the sandbox starts (no folder, no listener), not echoed", async () => {
    const secret = "p@ssw0rd!Xy9Kq2#Lm";
    const r = await run(["apply", `--sandbox=${sandboxDir}`, "--non-interactive", "--yes", "--app", secret]);
    expectRejected(r, "(from --app)");
    expect(r.stderr).not.toContain(secret);
  });
});

describe("flags: bad sandbox options and a missing answers file", () => {
  it.each([
    [["--speed", "0"], "speed must be a positive number"],
    [["--faults", "bogus=1"], 'unknown fault kind "bogus"'],
    [["--faults", "429=2"], 'the rate of "429"'],
    [["--answers", "missing.yaml"], "missing.yaml does not exist"],
  ])("%j is refused before the sandbox starts: %s", async (flags, message) => {
    const r = await run(["apply", `--sandbox=${sandboxDir}`, "--non-interactive", "--yes", ...flags]);
    expectRejected(r, message);
  });
});

describe("flags: a region Azure does not offer", () => {
  it("--location mars is refused by the AKS preflight, before any change", async () => {
    const dir = join(root, "mars");
    const r = await run([
      "apply",
      `--sandbox=${dir}`,
      "--non-interactive",
      "--yes",
      "--output",
      "plain",
      "--location",
      "mars",
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain(
      "error: Checking AKS in mars: the region does not offer Azure Kubernetes Service",
    );
    const state = readSandboxState(dir);
    const created = Object.keys(state.resources as object).filter((id) => id.includes("/resourcegroups/"));
    expect(created).toEqual([]);
    expect(Object.keys((state.devops as { projects?: object } | undefined)?.projects ?? {})).toEqual([]);
  });
});
