import { rootCertificates } from "node:tls";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { readJson, writeJsonAtomic } from "./persistence.js";

/** What `sandbox serve` prints when ready (and keeps in serve.json with its pid while it runs). */
export interface ServeInfo {
  readonly login: string;
  readonly arm: string;
  readonly devops: string;
  readonly organization: string;
  readonly organizationUrl: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** The sandbox's service principal; its secret stays in secrets.json (`sandbox env` prints it). */
  readonly clientId: string;
  readonly location: string;
  readonly caFile: string;
  readonly dir: string;
  readonly trafficLog: string;
}

export const serveInfoPath = (dir: string) => join(dir, "serve.json");
export const caBundlePath = (dir: string) => join(dir, "ca-bundle.pem");

export function writeServeInfo(dir: string, info: ServeInfo & { pid: number }): void {
  writeJsonAtomic(serveInfoPath(dir), info);
}

export function readServeInfo(dir: string): (ServeInfo & { pid: number }) | undefined {
  return readJson<ServeInfo & { pid: number }>(serveInfoPath(dir));
}

/**
 * Python's `requests` (REQUESTS_CA_BUNDLE, also used by az) trusts only the bundle it is given,
 * so the sandbox CA alone would break every other HTTPS call in that shell: this bundle is Node's
 * public roots plus the sandbox CA.
 */
export function tlsBundle(dir: string, caPem: string): string {
  const path = caBundlePath(dir);
  writeFileSync(path, `${rootCertificates.join("\n")}\n${caPem}`, { mode: 0o644 });
  return path;
}
