import { render } from "ink";
import type { Reporter, ReporterOptions } from "../reporter-types.js";
import { LiveView } from "./LiveView.js";
import { RunStore } from "./run-state.js";

/**
 * The "tty" reporter: mounts the live view on stdout. It never reads stdin (no raw mode), so
 * Ctrl-C still reaches the CLI's SIGINT handler, which owns confirmAbort() and the exit code.
 */
export function createInkReporter(opts: ReporterOptions): Reporter {
  const store = new RunStore();
  const instance = render(
    <LiveView
      store={store}
      color={opts.color}
      debug={opts.debug}
      columns={opts.columns}
      links={opts.links}
    />,
    {
      stdout: opts.stdout as NodeJS.WriteStream,
      stderr: opts.stderr as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  let closed = false;
  return {
    onEvent: store.dispatch,
    async close() {
      if (closed) return;
      closed = true;
      // unmount renders the final frame (the summary) before releasing the terminal.
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
