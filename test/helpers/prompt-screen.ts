import { screen } from "@inquirer/testing/vitest";

/** Waits (deadline 5 s, no fixed sleep) until the active prompt's screen matches. */
export async function until(pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = screen.getScreen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline)
      throw new Error(`screen never matched ${String(pattern)}; last screen:\n${text}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
