import { rmSync } from "node:fs";
import { tlsBundle, writeServeInfo, serveInfoPath, type ServeInfo } from "./serve-info.js";
import { startSandbox, type Sandbox, type SandboxOptions } from "./index.js";

/**
 * `aks-bootstrap sandbox serve`: starts the sandbox and prints ONE JSON line with everything a
 * client needs (endpoints, ids, client id, CA file; never the secret). The same line is kept in
 * the folder (serve.json) while it runs, so `sandbox env` can find it. The caller keeps the
 * process alive until SIGTERM, then closes the returned sandbox, which removes serve.json.
 */
export async function serveSandbox(opts: SandboxOptions, out: NodeJS.WritableStream): Promise<Sandbox> {
  const sandbox = await startSandbox(opts);
  const info: ServeInfo = {
    login: sandbox.endpoints.login,
    arm: sandbox.endpoints.arm,
    devops: sandbox.endpoints.devops,
    organization: sandbox.organization,
    organizationUrl: sandbox.organizationUrl,
    tenantId: sandbox.tenantId,
    subscriptionId: sandbox.subscriptionId,
    clientId: sandbox.clientId,
    location: sandbox.location,
    caFile: sandbox.caFile,
    dir: sandbox.dir,
    trafficLog: sandbox.trafficLogPath,
  };
  tlsBundle(sandbox.dir, sandbox.caPem);
  writeServeInfo(sandbox.dir, { ...info, pid: process.pid });
  out.write(JSON.stringify(info) + "\n");
  return {
    ...sandbox,
    async close() {
      rmSync(serveInfoPath(sandbox.dir), { force: true });
      await sandbox.close();
    },
  };
}
