/**
 * The fault model of the chaos suite and sweep (docs/reliability.md explains it). Rates are
 * per request for 429 / 429-no-retry-after / 503 / reset (ARM, Key Vault, Azure DevOps; never
 * the sign-in endpoint), per created resource for eventual, per long-running create for
 * lro-fail, and per role assignment of a young principal for principal-not-found.
 *
 * Self-contained (no imports) so bench/chaos-sweep.mjs can import it with type stripping.
 */
export const CHAOS_FAULTS =
  "429=0.03,429-no-retry-after=0.03,503=0.03,reset=0.02,eventual=0.1,lro-fail=0.05,principal-not-found=0.3";
