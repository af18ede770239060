import { UserError } from "../engine/errors.js";

/**
 * Seeded fault plan. A spec like "429=0.05,503=0.02,reset=0.01,eventual=0.1,lro-fail=0.02"
 * gives each fault kind a probability; the same seed and the same request sequence give the
 * same faults, so a failing run can be replayed.
 */
export type FaultKind =
  | "429"
  | "429-no-retry-after"
  | "503"
  | "reset"
  | "eventual"
  | "lro-fail"
  | "principal-not-found"
  /** Pipeline runs: the unit-test script step of a PR/CI run fails ("Bash exited with code '1'."). */
  | "unit-test-fail";

const KINDS: readonly FaultKind[] = [
  "429",
  "429-no-retry-after",
  "503",
  "reset",
  "eventual",
  "lro-fail",
  "principal-not-found",
  "unit-test-fail",
];
/** Faults decided per request, before the service sees it. */
const REQUEST_FAULTS: readonly FaultKind[] = ["429", "429-no-retry-after", "503", "reset"];

export interface FaultPlan {
  readonly rates: Readonly<Partial<Record<FaultKind, number>>>;
  /** A request-level fault to inject now, if any. */
  requestFault(): FaultKind | undefined;
  /** Whether an event-level fault (eventual, lro-fail, principal-not-found) happens now. */
  roll(kind: FaultKind): boolean;
}

export function parseFaultSpec(spec: string | undefined): Partial<Record<FaultKind, number>> {
  const rates: Partial<Record<FaultKind, number>> = {};
  if (!spec) return rates;
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [rawKey, rawValue] = part.split("=");
    const key = (rawKey ?? "").trim() === "principal" ? "principal-not-found" : (rawKey ?? "").trim();
    if (!KINDS.includes(key as FaultKind)) {
      throw new UserError(
        `Reading the sandbox fault plan "${spec}": unknown fault kind "${key}".`,
        `Use kind=rate pairs separated by commas; known kinds: ${KINDS.join(", ")} (rates from 0 to 1).`,
      );
    }
    const value = rawValue === undefined ? 1 : Number(rawValue);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new UserError(
        `Reading the sandbox fault plan "${spec}": the rate of "${key}" must be a number from 0 to 1, got "${rawValue}".`,
        'Write it like "429=0.05,503=0.02".',
      );
    }
    rates[key as FaultKind] = value;
  }
  return rates;
}

/** mulberry32: small, fast, good enough for reproducible fault rolls. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createFaultPlan(spec: string | undefined, seed = 1): FaultPlan {
  const rates = parseFaultSpec(spec);
  const random = prng(seed);
  return {
    rates,
    requestFault() {
      // One roll per request keeps the sequence reproducible whatever the rates are.
      const r = random();
      let acc = 0;
      for (const kind of REQUEST_FAULTS) {
        acc += rates[kind] ?? 0;
        if (r < acc) return kind;
      }
      return undefined;
    },
    roll(kind) {
      const rate = rates[kind] ?? 0;
      return rate > 0 && random() < rate;
    },
  };
}
