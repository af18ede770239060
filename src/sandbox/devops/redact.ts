import type { DevopsState } from "./state.js";

/**
 * State as shown to people (`sandbox state`): blob contents are summarised. Secrets are never
 * in the state to begin with (secret parameters and secret variables are dropped on the way in).
 */
export function redactDevopsState(state: DevopsState): unknown {
  return {
    ...state,
    repositories: Object.fromEntries(
      Object.entries(state.repositories).map(([id, r]) => [
        id,
        {
          ...r,
          blobs: Object.fromEntries(
            Object.entries(r.blobs).map(([b, c]) => [b, `<${Buffer.from(c, "base64").length} bytes>`]),
          ),
        },
      ]),
    ),
  };
}
