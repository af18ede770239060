import type { Writable } from "node:stream";
import { AbortedError, UserError } from "../../engine/errors.js";

/** Streams for prompts; tests pass their own, the CLI usually passes nothing. */
export interface PromptContext {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream | Writable;
}

/**
 * Where each answer can come from when there is no terminal to ask. The CLI may extend it with
 * its flags (runWizard's `sources` option).
 */
export const defaultSources: Readonly<Record<string, string>> = {
  "saved answers": "--non-interactive --answers FILE",
  "azure.tenantId": "`azure.tenantId` in the answers file, or AZURE_TENANT_ID",
  "azure.subscriptionId": "`azure.subscriptionId` in the answers file, or AZURE_SUBSCRIPTION_ID",
  "azure.location": "`azure.location` in the answers file",
  app: "`app` in the answers file",
  "devops.organizationUrl": "`devops.organizationUrl` in the answers file",
  "devops.project": "`devops.project` in the answers file",
  "devops.repository": "`devops.repository` in the answers file",
  "pipeline.manualValidation": "`pipeline.manualValidation` in the answers file",
  "devops.productionApprovers": "`devops.productionApprovers` in the answers file",
  "keyVault.secrets": "`keyVault.secrets` in the answers file",
  "plan confirmation": "--yes",
};

/** The error for a prompt reached without a terminal: names the field and what provides it. */
export function missingAnswerError(field: string, source: string | undefined): UserError {
  return new UserError(
    `${field} is needed, but there is no terminal to ask for it`,
    source
      ? `Provide it with ${source}, or run in a terminal.`
      : "Run in a terminal, or provide it in the answers file.",
  );
}

/** Inquirer's cancellation (Ctrl-C in a prompt, closed input) becomes our interruption. */
function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === "ExitPromptError" || err.name === "AbortPromptError");
}

/**
 * Runs prompts with the right streams and refuses to prompt without a terminal (as Shopify's
 * cli-kit does): a prompt reached with a non-TTY stdin and no test streams throws a UserError
 * naming the field and the flag/file field that provides it.
 */
export class PromptIO {
  constructor(
    private readonly context: PromptContext = {},
    private readonly sources: Readonly<Record<string, string>> = defaultSources,
  ) {}

  get interactive(): boolean {
    const input = this.context.input;
    // Streams passed explicitly (tests, a pty) are trusted; the process's own stdin must be a TTY.
    if (input && input !== process.stdin) return true;
    return process.stdin.isTTY === true;
  }

  /** Streams to hand to an inquirer prompt. */
  get streams(): { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } {
    const s: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {};
    if (this.context.input) s.input = this.context.input;
    if (this.context.output) s.output = this.context.output as NodeJS.WritableStream;
    return s;
  }

  /** Width of the prompt's terminal, when it is one. */
  get columns(): number | undefined {
    const out = (this.context.output ?? process.stdout) as { columns?: number };
    return out.columns;
  }

  /** Prints a line between prompts (status, previews, the review). */
  say(line = ""): void {
    (this.context.output ?? process.stdout).write(`${line}\n`);
  }

  /** Throws the no-terminal error for `field`. */
  refuse(field: string, source?: string): never {
    throw missingAnswerError(field, source ?? this.sources[field]);
  }

  /** Runs one prompt; `source` overrides what the no-terminal error says provides the answer. */
  async ask<T>(
    field: string,
    prompt: (streams: PromptIO["streams"]) => Promise<T>,
    source?: string,
  ): Promise<T> {
    if (!this.interactive) this.refuse(field, source);
    try {
      return await prompt(this.streams);
    } catch (err) {
      if (isPromptExit(err)) throw new AbortedError();
      throw err;
    }
  }
}
