import type { Writable } from "node:stream";

/**
 * Resolves once everything written so far has been handed to the OS. Writes to a pipe are
 * asynchronous: without this, an exit right after the summary can cut the last lines.
 */
export function flush(stream: NodeJS.WriteStream | Writable): Promise<void> {
  if ((stream as Writable).writableEnded || (stream as Writable).destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.write("", () => resolve());
  });
}
