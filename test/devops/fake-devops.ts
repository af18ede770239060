import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import type { Target } from "../../src/clients/target.js";

/**
 * A scripted Azure DevOps stand-in on loopback http: enough location data for
 * azure-devops-node-api to find `core/projects`, and a queue of answers per route so a test
 * can say "first a 429, then the project".
 */
export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
}

const LOCATIONS: Record<string, unknown[]> = {
  location: [
    {
      id: "e81700f7-3be2-46de-8624-2eb35882fcaa",
      area: "Location",
      resourceName: "ResourceAreas",
      routeTemplate: "_apis/{resource}/{areaId}",
      resourceVersion: 1,
      minVersion: "1.0",
      maxVersion: "7.2",
      releasedVersion: "7.1",
    },
  ],
  core: [
    {
      id: "603fe2ac-9723-48b9-88ad-09305aa6c6e1",
      area: "core",
      resourceName: "projects",
      routeTemplate: "_apis/{resource}/{*projectId}",
      resourceVersion: 4,
      minVersion: "1.0",
      maxVersion: "7.2",
      releasedVersion: "7.1",
    },
  ],
};

export const SIGN_IN_PAGE =
  "<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head><body>Sign in</body></html>";

export class FakeDevops {
  readonly seen: Seen[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private server!: Server;
  url = "";

  /** Answers for "METHOD /path" (path after the organization), used in order; the last one repeats. */
  script(route: string, ...answers: Answer[]): void {
    this.scripts.set(route, answers);
  }

  async start(): Promise<void> {
    this.server = createServer(
      (req, res) =>
        void this.handle(req).then((a) => {
          const body =
            a.body === undefined ? "" : typeof a.body === "string" ? a.body : JSON.stringify(a.body);
          const type =
            typeof a.body === "string" ? "text/html; charset=utf-8" : "application/json; charset=utf-8";
          res.writeHead(a.status, { "content-type": type, ...a.headers });
          res.end(body);
        }),
    );
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/org`;
  }

  private async handle(req: IncomingMessage): Promise<Answer> {
    for await (const _ of req) void _; // drain
    const path = new URL(req.url ?? "/", "http://x").pathname.replace(/^\/org/, "");
    this.seen.push({
      method: req.method ?? "",
      path,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const key = `${req.method} ${path}`;
    const queue = this.scripts.get(key);
    if (queue && queue.length > 0) return queue.length > 1 ? queue.shift()! : queue[0]!;
    if (req.method === "OPTIONS") {
      const area = path.replace(/^\/_apis\//, "").toLowerCase();
      return { status: 200, body: { count: (LOCATIONS[area] ?? []).length, value: LOCATIONS[area] ?? [] } };
    }
    if (key === "GET /_apis/connectionData")
      return { status: 200, body: { authenticatedUser: { id: "u1", providerDisplayName: "User" } } };
    if (key === "GET /_apis/ResourceAreas") return { status: 200, body: { count: 0, value: [] } };
    return { status: 404, body: { message: `no route ${key}`, typeKey: "NotFound" } };
  }

  count(route: string): number {
    return this.seen.filter((s) => `${s.method} ${s.path}` === route).length;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A credential that hands out numbered tokens valid for `lifetimeMs`, counting its calls. */
export function countingCredential(lifetimeMs: number): TokenCredential & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async getToken(scopes): Promise<AccessToken> {
      calls.push(String(scopes));
      return { token: `token-${calls.length}`, expiresOnTimestamp: Date.now() + lifetimeMs };
    },
  };
}

export function targetFor(fake: FakeDevops, overrides: Partial<Target> = {}): Target {
  return {
    tenantId: "00000000-0000-0000-0000-000000000001",
    subscriptionId: "00000000-0000-0000-0000-000000000002",
    armEndpoint: "http://127.0.0.1:1",
    authorityHost: "http://127.0.0.1:1",
    portalUrl: "https://portal.azure.com",
    devopsOrganizationUrl: fake.url,
    credential: countingCredential(3600_000),
    devopsAuth: { kind: "entra" },
    pollIntervalMs: 5,
    retry: { maxRetries: 3, retryDelayMs: 5, maxRetryDelayMs: 20 },
    keyVaultChallengeVerification: false,
    propagationDeadlineMs: 1000,
    ...overrides,
  };
}
