import type { ErrorInfo } from "./types.js";

/**
 * An error the operator can fix: bad input, missing permission, a name taken. Rendered as its
 * message plus what to try, exit code 1, never a stack trace.
 */
export class UserError extends Error {
  override readonly name = "UserError";
  /**
   * The answers field at fault, as a path like `devops.productionApprovers[1]`, when one answer
   * is the cause: the wizard then asks that answer again instead of exiting.
   */
  readonly field?: string;
  constructor(
    message: string,
    /** What to try next, e.g. "Run `az login`, then rerun." */
    readonly hint?: string,
    options?: { cause?: unknown; field?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.field) this.field = options.field;
  }
}

/** An unexpected condition: a bug of ours. Shown with its stack only under --debug. */
export class BugError extends Error {
  override readonly name = "BugError";
}

/** Thrown when the run was interrupted (Ctrl-C / SIGTERM): exit code 130. */
export class AbortedError extends Error {
  override readonly name = "AbortedError";
  constructor(message = "Interrupted") {
    super(message);
  }
}

/**
 * Wraps any error with what was being done, keeping a UserError's hint.
 * `doing` reads like "creating container registry crdemo1234".
 */
export function wrapError(doing: string, err: unknown): UserError | BugError {
  if (err instanceof UserError)
    return new UserError(`${doing}: ${err.message}`, err.hint, {
      cause: err,
      ...(err.field ? { field: err.field } : {}),
    });
  if (err instanceof AbortedError) return new UserError(`${doing}: interrupted`);
  const message = err instanceof Error ? err.message : String(err);
  const wrapped = new BugError(`${doing}: ${message}`, { cause: err });
  if (err instanceof Error && err.stack) wrapped.stack = err.stack;
  return wrapped;
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof UserError)
    return {
      message: err.message,
      ...(err.hint ? { hint: err.hint } : {}),
      ...(err.field ? { field: err.field } : {}),
    };
  if (err instanceof Error) return { message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { message: String(err) };
}
