import { execFile } from "node:child_process";

/** What a git remote URL says about Azure DevOps. */
export interface DevopsRemote {
  /** e.g. https://dev.azure.com/contoso or https://contoso.visualstudio.com */
  readonly organizationUrl: string;
  readonly project: string;
  readonly repository: string;
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * Reads an Azure Repos remote in any of its forms:
 * - https://[user@]dev.azure.com/ORG/PROJECT/_git/REPO
 * - https://ORG.visualstudio.com/[DefaultCollection/]PROJECT/_git/REPO
 * - git@ssh.dev.azure.com:v3/ORG/PROJECT/REPO
 * - ORG@vs-ssh.visualstudio.com:v3/ORG/PROJECT/REPO
 * Returns undefined for anything else (GitHub, a local path...).
 */
export function parseDevopsRemote(url: string): DevopsRemote | undefined {
  const u = url.trim().replace(/\.git$/, "");
  let m = /^https?:\/\/(?:[^@/]+@)?dev\.azure\.com\/([^/]+)\/([^/]+)\/_git\/([^/?#]+)/i.exec(u);
  if (m)
    return {
      organizationUrl: `https://dev.azure.com/${m[1]}`,
      project: decode(m[2]!),
      repository: decode(m[3]!),
    };
  m =
    /^https?:\/\/(?:[^@/]+@)?([^./]+)\.visualstudio\.com\/(?:DefaultCollection\/)?([^/]+)\/_git\/([^/?#]+)/i.exec(
      u,
    );
  if (m)
    return {
      organizationUrl: `https://${m[1]}.visualstudio.com`,
      project: decode(m[2]!),
      repository: decode(m[3]!),
    };
  m =
    /^(?:ssh:\/\/)?[^@]+@(?:ssh\.dev\.azure\.com|vs-ssh\.visualstudio\.com)[:/]v3\/([^/]+)\/([^/]+)\/([^/?#]+)$/i.exec(
      u,
    );
  if (m) {
    const host = /visualstudio\.com/i.test(u)
      ? `https://${m[1]}.visualstudio.com`
      : `https://dev.azure.com/${m[1]}`;
    return { organizationUrl: host, project: decode(m[2]!), repository: decode(m[3]!) };
  }
  return undefined;
}

/** The `origin` remote of the git repository in `cwd`, or undefined (no git, no remote). */
export function readOriginRemote(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", ["remote", "get-url", "origin"], { cwd, timeout: 3000 }, (err, stdout) => {
      resolve(err ? undefined : stdout.trim() || undefined);
    });
  });
}
