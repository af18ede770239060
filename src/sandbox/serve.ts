import { startSandbox, type Sandbox, type SandboxOptions } from "./index.js";

/**
 * `aks-bootstrap sandbox serve`: starts the sandbox and prints ONE JSON line with everything a
 * client needs (endpoints, ids, CA file). The caller keeps the process alive until SIGTERM.
 */
export async function serveSandbox(opts: SandboxOptions, out: NodeJS.WritableStream): Promise<Sandbox> {
  const sandbox = await startSandbox(opts);
  out.write(
    JSON.stringify({
      login: sandbox.endpoints.login,
      arm: sandbox.endpoints.arm,
      devops: sandbox.endpoints.devops,
      organization: sandbox.organization,
      organizationUrl: sandbox.organizationUrl,
      tenantId: sandbox.tenantId,
      subscriptionId: sandbox.subscriptionId,
      location: sandbox.location,
      caFile: sandbox.caFile,
      dir: sandbox.dir,
      trafficLog: sandbox.trafficLogPath,
    }) + "\n",
  );
  return sandbox;
}
