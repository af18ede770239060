/** Process exit codes; the CLI's main() is their only owner. */
export const ExitCode = {
  /** Done, or (plan) no changes. */
  ok: 0,
  /** An error: bad input, a failed step, an auth failure. */
  error: 1,
  /** plan --detailed-exitcode: changes are pending. */
  changes: 2,
  /** verify: stopped at a gate that needs a person (an approval, a manual validation, a reviewer). */
  gate: 3,
  /** Interrupted (Ctrl-C / SIGTERM). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
