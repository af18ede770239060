import { render } from "ink";
import type { Reporter, ReporterOptions } from "../reporter-types.js";
import { LiveView } from "./LiveView.js";
import { RunStore, type RunView } from "./run-state.js";

/**
 * The "tty" reporter: mounts the live view on stdout. It reads stdin only while asking the
 * Ctrl-C question, so the rest of the time Ctrl-C reaches the CLI's SIGINT handler, which
 * calls confirmAbort() and owns the exit code.
 */
export function createInkReporter(opts: ReporterOptions & { stdin?: NodeJS.ReadStream }): Reporter {
  const store = new RunStore(opts.changes);
  let answerAbort: ((stop: boolean) => void) | undefined;
  const onAbortAnswer = (stop: boolean): void => {
    store.setUi({ askingAbort: false, stopping: stop || store.getSnapshot().stopping });
    const resolve = answerAbort;
    answerAbort = undefined;
    resolve?.(stop);
  };
  // React commits store updates asynchronously; close() waits for the last state to be drawn
  // so the summary is never lost to an early unmount.
  let committed: RunView | undefined;
  const onCommit = (run: RunView): void => {
    committed = run;
  };
  const instance = render(
    <LiveView
      store={store}
      color={opts.color}
      debug={opts.debug}
      columns={opts.columns}
      links={opts.links}
      confirmingPlan={opts.confirmingPlan}
      onAbortAnswer={onAbortAnswer}
      onCommit={onCommit}
    />,
    {
      stdout: opts.stdout as NodeJS.WriteStream,
      stderr: opts.stderr as NodeJS.WriteStream,
      ...(opts.stdin ? { stdin: opts.stdin } : {}),
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  let closed = false;
  return {
    onEvent: store.dispatch,
    confirmAbort() {
      // Already stopping (a second Ctrl-C) or no way to ask: stop.
      if (closed || store.getSnapshot().stopping) return Promise.resolve(true);
      if (answerAbort)
        return new Promise((resolve) => {
          const previous = answerAbort!;
          answerAbort = (stop) => {
            previous(stop);
            resolve(stop);
          };
        });
      return new Promise((resolve) => {
        answerAbort = resolve;
        store.setUi({ askingAbort: true });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      answerAbort?.(true);
      const deadline = Date.now() + 2000;
      while (committed !== store.getSnapshot() && Date.now() < deadline) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      // unmount renders the final frame (the summary) before releasing the terminal.
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
