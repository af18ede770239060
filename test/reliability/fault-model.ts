/**
 * The fault model of the chaos suite and sweep (docs/reliability.md explains it), and the
 * answers the crash suite deploys. Rates are
 * per request for 429 / 429-no-retry-after / 503 / reset (ARM, Key Vault, Azure DevOps; never
 * the sign-in endpoint), per created resource for eventual, per long-running create for
 * lro-fail, and per role assignment of a young principal for principal-not-found.
 *
 * Self-contained (no imports) so bench/chaos-sweep.mjs can import it with type stripping.
 */
export const CHAOS_FAULTS =
  "429=0.03,429-no-retry-after=0.03,503=0.03,reset=0.02,eventual=0.1,lro-fail=0.05,principal-not-found=0.3";

/**
 * What the crash suite and sweep deploy: two Key Vault secrets whose values come from the
 * environment, so "no lost secret" and "no printed secret" can be checked.
 */
export const CRASH_SECRETS = {
  CRASH_DB_PASSWORD: "Crash-db-Pa55w0rd-8f2e1d7c",
  CRASH_API_KEY: "crashApiKey5b9a3c1e7d2f4a6b8c0e",
};
export const CRASH_ANSWERS = `# written by the crash suite
app: crash
keyVault:
  secrets:
    - name: db-password
      env: CRASH_DB_PASSWORD
    - name: api-key
      env: CRASH_API_KEY
`;
