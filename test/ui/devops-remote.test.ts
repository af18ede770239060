import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDevopsRemote, readOriginRemote } from "../../src/ui/wizard/devops-remote.js";

describe("parseDevopsRemote", () => {
  it.each([
    [
      "https://dev.azure.com/contoso/Web%20Shop/_git/shop-api",
      "https://dev.azure.com/contoso",
      "Web Shop",
      "shop-api",
    ],
    ["https://ada@dev.azure.com/contoso/shop/_git/shop", "https://dev.azure.com/contoso", "shop", "shop"],
    [
      "https://contoso.visualstudio.com/shop/_git/shop.git",
      "https://contoso.visualstudio.com",
      "shop",
      "shop",
    ],
    [
      "https://contoso.visualstudio.com/DefaultCollection/shop/_git/api",
      "https://contoso.visualstudio.com",
      "shop",
      "api",
    ],
    ["git@ssh.dev.azure.com:v3/contoso/shop/api", "https://dev.azure.com/contoso", "shop", "api"],
    [
      "contoso@vs-ssh.visualstudio.com:v3/contoso/shop/api",
      "https://contoso.visualstudio.com",
      "shop",
      "api",
    ],
  ])("reads %s", (url, organizationUrl, project, repository) => {
    expect(parseDevopsRemote(url)).toEqual({ organizationUrl, project, repository });
  });

  it.each(["https://github.com/contoso/shop.git", "git@github.com:contoso/shop.git", "/srv/git/shop", ""])(
    "ignores %s",
    (url) => {
      expect(parseDevopsRemote(url)).toBeUndefined();
    },
  );
});

describe("readOriginRemote", () => {
  it("reads the origin of a git folder, and nothing elsewhere", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aksb-remote-"));
    try {
      expect(await readOriginRemote(dir)).toBeUndefined();
      execFileSync("git", ["init", "-q"], { cwd: dir });
      execFileSync("git", ["remote", "add", "origin", "https://dev.azure.com/contoso/shop/_git/api"], {
        cwd: dir,
      });
      expect(await readOriginRemote(dir)).toBe("https://dev.azure.com/contoso/shop/_git/api");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
