import { resolve } from "node:path";
import { UserError } from "../engine/errors.js";
import { loadSecrets, loadState } from "./persistence.js";
import { snapshot } from "./index.js";

/** `aks-bootstrap sandbox state`: the persisted state of a sandbox folder, secret values redacted. */
export function readSandboxState(dir: string): unknown {
  const abs = resolve(dir);
  const state = loadState(abs);
  if (!state) {
    throw new UserError(
      `Reading sandbox state in ${abs}: no state.json found.`,
      "Start the sandbox with `aks-bootstrap sandbox serve --dir DIR` first, or pass the --dir it used.",
    );
  }
  const secrets = loadSecrets(abs);
  const known = function* () {
    if (!secrets) return;
    yield secrets.clientSecret;
    yield secrets.pat;
    for (const vault of Object.values(secrets.vaultSecrets))
      for (const s of Object.values(vault)) yield* Object.values(s);
  };
  return snapshot({ state, knownSecrets: known });
}
