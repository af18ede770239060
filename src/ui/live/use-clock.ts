import { useEffect, useState } from "react";

/**
 * The view's clock: re-renders every `intervalMs` while `animate` is on (spinners, elapsed
 * times) and returns `now()`. Tests turn animation off and pass a fixed clock, so every frame
 * is reproducible without sleeps.
 */
export function useClock(animate: boolean, now: () => number, intervalMs = 100): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!animate) return undefined;
    const timer = setInterval(() => setTick((t) => t + 1), intervalMs);
    return () => clearInterval(timer);
  }, [animate, intervalMs]);
  return now();
}

/** Braille spinner frames; the frame is derived from the clock, so no second timer is needed. */
export const spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;

export function spinnerFrame(time: number): string {
  return spinnerFrames[Math.floor(time / 80) % spinnerFrames.length] ?? "⠋";
}
