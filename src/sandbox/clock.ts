/**
 * Sandbox time. Operations take realistic durations (an AKS create is minutes in Azure) divided
 * by `speed`, so a demo feels like Azure and a test finishes in seconds.
 */
export interface Clock {
  readonly speed: number;
  now(): number;
  /** Real milliseconds for a realistic duration given in seconds. */
  scaled(realisticSeconds: number): number;
}

export function createClock(speed: number): Clock {
  const s = speed > 0 ? speed : 100;
  return {
    speed: s,
    now: () => Date.now(),
    scaled: (realisticSeconds) => Math.round((realisticSeconds * 1000) / s),
  };
}
