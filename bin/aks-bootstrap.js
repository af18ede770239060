#!/usr/bin/env node
// Thin launcher: answers --version and --help without loading the CLI, and loads the compiled
// CLI (and, through it, the SDKs and Ink) only when a command needs it.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  process.stderr.write(`aks-bootstrap needs Node.js 22 or newer; this is ${process.version}.\n`);
  process.exit(1);
}
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import("../dist/src/cli/main.js");
  process.exitCode = await main(args);
}
