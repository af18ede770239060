import type { EngineEvent } from "../engine/types.js";
import { flush } from "./flush.js";
import type { Reporter, ReporterOptions } from "./reporter-types.js";

/**
 * `--output json`: NDJSON, exactly one `JSON.stringify(event)` per line, nothing else on
 * stdout, so `jq` and scripts can consume the run. Events never carry secret values.
 */
export class JsonReporter implements Reporter {
  constructor(private readonly opts: Pick<ReporterOptions, "stdout">) {}

  onEvent(e: EngineEvent): void {
    this.opts.stdout.write(`${JSON.stringify(e)}\n`);
  }

  async close(): Promise<void> {
    await flush(this.opts.stdout);
  }
}
