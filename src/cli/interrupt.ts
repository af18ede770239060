/**
 * Ctrl-C / SIGTERM handling for a run: the first signal aborts (stop starting new steps, let
 * running ones reach a safe point); a second one exits at once with 130.
 * `confirm` (TTY only) may ask first; answering no resumes.
 */
export function onInterrupt(opts: { confirm?: () => Promise<boolean>; onAbort?: () => void }): {
  readonly signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  let asking = false;
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted || asking || sig === "SIGTERM" || !opts.confirm) {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
      opts.onAbort?.();
      return;
    }
    asking = true;
    opts
      .confirm()
      .then((yes) => {
        asking = false;
        if (yes) {
          controller.abort();
          opts.onAbort?.();
        }
      })
      .catch(() => {
        asking = false;
        controller.abort();
      });
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
