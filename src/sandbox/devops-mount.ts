import type { SandboxCore } from "./core.js";
import { createDevopsService, emptyDevopsState, type DevopsState } from "./devops/index.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";
import { runWorld } from "./run-world.js";
import type { FaultKind } from "./faults.js";

/**
 * Mounts the Azure DevOps emulation (src/sandbox/devops/) on the devops listener: every path
 * under /{organization} goes to it, with bearer tokens already verified by the listener.
 */
export function mountDevops(
  core: SandboxCore,
  baseUrl: string,
): (req: SandboxRequest) => Promise<SandboxResponse> {
  const org = core.state.organization;
  const state = (core.state.devops ??= emptyDevopsState(org)) as DevopsState;
  const service = createDevopsService({
    organization: org,
    baseUrl,
    state,
    persist: () => core.persist(),
    now: () => core.clock.now(),
    speed: core.clock.speed,
    pat: core.secrets.pat,
    tenantId: core.state.tenantId,
    armLookup: (id) => core.state.resources[id.toLowerCase()]?.body,
    world: runWorld(core),
    rollFault: (kind) => core.faults.roll(kind as FaultKind),
    principalName: (objectId) => core.state.principals[objectId]?.displayName,
    findVault: (name) =>
      Object.values(core.state.resources).find(
        (r) =>
          r.type === "Microsoft.KeyVault/vaults" &&
          String(r.body["name"]).toLowerCase() === name.toLowerCase(),
      )?.body,
  });
  return async (req) => {
    if (!req.path.toLowerCase().startsWith(`/${org.toLowerCase()}`)) {
      return {
        status: 404,
        body: {
          $id: "1",
          innerException: null,
          message: `The resource cannot be found: ${req.path}`,
          typeKey: "NotFoundException",
          errorCode: 0,
          eventId: 3000,
        },
      };
    }
    return service.handle(req);
  };
}
