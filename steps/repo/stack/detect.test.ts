import { describe, expect, it } from "vitest";
import { detectStack } from "./detect.js";
import { chooseStack } from "./choose.js";
import { describeDetected, type StackDetection } from "./types.js";
import { stackSchema } from "../../../src/answers/stack-schema.js";

/** A repository as a map of path -> content; `reads` records what detection asked for. */
function repo(files: Record<string, string>) {
  const reads: string[] = [];
  const read = async (p: string) => {
    reads.push(p);
    return files[p];
  };
  return { paths: Object.keys(files), read, reads };
}

async function detect(files: Record<string, string>): Promise<StackDetection> {
  const r = repo(files);
  return detectStack(r.paths, r.read);
}

async function detected(files: Record<string, string>) {
  const d = await detect(files);
  if (d.kind !== "detected") throw new Error(`expected a stack, got ${d.kind}`);
  return d;
}

describe("stack detection from a repository's files", () => {
  it("Node.js: npm, pnpm or yarn by lock file; version from .nvmrc, else engines", async () => {
    const npm = await detected({ "package.json": '{"engines":{"node":">=20"}}', "package-lock.json": "{}" });
    expect(npm.stack).toMatchObject({ language: "node", tool: "npm", version: "20" });
    expect(npm.stack.evidence).toEqual(["package.json", "package-lock.json"]);
    const pnpm = await detected({ "package.json": "{}", "pnpm-lock.yaml": "", ".nvmrc": "v18.19.0\n" });
    expect(pnpm.stack).toMatchObject({ tool: "pnpm", version: "18" });
    expect(pnpm.stack.evidence).toEqual(["package.json", "pnpm-lock.yaml", ".nvmrc"]);
    const yarn = await detected({ "package.json": "{}", "yarn.lock": "", ".yarnrc.yml": "" });
    expect(yarn.stack).toMatchObject({ tool: "yarn", version: "22", hints: { yarnBerry: true } });
    // No lock file: nothing to freeze installs to
    expect((await detected({ "package.json": "{}" })).stack.hints).toEqual({ noLockfile: true });
    // No lock file: package.json's packageManager names the tool
    expect((await detected({ "package.json": '{"packageManager":"pnpm@9.1.0"}' })).stack.tool).toBe("pnpm");
  });

  it("Python: pip, poetry or uv; version from .python-version, else requires-python", async () => {
    const pip = await detected({ "requirements.txt": "flask\n", "app.py": "" });
    expect(pip.stack).toMatchObject({
      language: "python",
      tool: "pip",
      version: "3.12",
      hints: { requirements: ["requirements.txt"], entry: "app.py" },
    });
    const poetry = await detected({
      "pyproject.toml": '[tool.poetry]\nname = "shop-api"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n',
      "poetry.lock": "",
    });
    expect(poetry.stack).toMatchObject({ tool: "poetry", version: "3.11", hints: { entry: "-m shop_api" } });
    expect(describeDetected(poetry.stack)).toBe("Python 3.11 with poetry (pyproject.toml, poetry.lock)");
    // [tool.poetry] alone (no lock yet) is Poetry too
    expect((await detected({ "pyproject.toml": "[tool.poetry]\n" })).stack.tool).toBe("poetry");
    const uv = await detected({
      "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.13"\n',
      "uv.lock": "",
      ".python-version": "3.12.4\n",
    });
    expect(uv.stack).toMatchObject({ tool: "uv", version: "3.12" });
    expect(uv.stack.evidence).toEqual(["pyproject.toml", "uv.lock", ".python-version"]);
  });

  it(".NET: the solution or project, SDK from global.json or the TargetFramework, the app's assembly", async () => {
    const d = await detected({
      "Shop.sln": "",
      "src/Shop.Api/Shop.Api.csproj":
        "<Project><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>",
      "tests/Shop.Tests/Shop.Tests.csproj": "<TargetFramework>net9.0</TargetFramework>",
    });
    expect(d.stack).toMatchObject({
      language: "dotnet",
      tool: "dotnet",
      version: "9.0",
      project: "Shop.sln",
      hints: { entry: "Shop.Api" },
    });
    const pinned = await detected({
      "Api.csproj": "<TargetFramework>net8.0</TargetFramework>",
      "global.json": '{"sdk":{"version":"8.0.404"}}',
    });
    expect(pinned.stack).toMatchObject({
      version: "8.0",
      project: "Api.csproj",
      hints: { globalJson: true },
    });
    // global.json alone marks a .NET repository too
    expect((await detected({ "global.json": '{"sdk":{"version":"9.0.100"}}' })).stack).toMatchObject({
      language: "dotnet",
      version: "9.0",
      evidence: ["global.json"],
    });
  });

  it("Java: Maven by pom.xml, Gradle by build.gradle(.kts) or gradlew; JDK from the build file", async () => {
    const maven = await detected({
      "pom.xml": "<properties><maven.compiler.release>21</maven.compiler.release>",
    });
    expect(maven.stack).toMatchObject({ language: "java", tool: "maven", version: "21" });
    const gradle = await detected({
      "build.gradle.kts": "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }",
      gradlew: "#!/bin/sh",
    });
    expect(gradle.stack).toMatchObject({ tool: "gradle", version: "17", hints: { wrapper: true } });
    expect(gradle.stack.evidence).toEqual(["build.gradle.kts", "gradlew"]);
  });

  it("Go: go.mod's toolchain or go line (x.y becomes x.y.0), the main package", async () => {
    expect(
      (await detected({ "go.mod": "module example.com/shop\n\ngo 1.23\n", "main.go": "" })).stack,
    ).toMatchObject({
      language: "go",
      version: "1.23.0",
      hints: { entry: "." },
    });
    const cmd = await detected({
      "go.mod": "module x\ngo 1.22.1\ntoolchain go1.22.5\n",
      "cmd/api/main.go": "",
    });
    expect(cmd.stack).toMatchObject({ version: "1.22.5", hints: { entry: "./cmd/api" } });
  });

  it("several stacks at the root: precedence picks one and the others are reported", async () => {
    // Given a Python service with a package.json for its front-end tooling
    const d = await detected({
      "package.json": "{}",
      "pyproject.toml": "[tool.poetry]\n",
      "poetry.lock": "",
    });
    // Then Python wins and Node.js is listed as also found
    expect(d.stack.language).toBe("python");
    expect(d.others.map((s) => s.language)).toEqual(["node"]);
    const choice = chooseStack(stackSchema.parse({}), d, {
      starterApp: true,
      repository: "shop",
      userDockerfile: false,
    });
    expect(choice.notes.join("\n")).toMatch(
      /also found Node\.js 22 with npm \(package\.json\): Python wins by precedence/,
    );
  });

  it("sees the Dockerfile where the answers put it, even in a folder detection skips", async () => {
    const r = repo({ "go.mod": "go 1.22\n", "build/Dockerfile": "FROM scratch\n" });
    expect(await detectStack(r.paths, r.read, { dockerfile: "build/Dockerfile" })).toMatchObject({
      kind: "detected",
      dockerfile: true,
    });
  });

  it("reads only the files a candidate needs", async () => {
    const r = repo({ "go.mod": "go 1.22\n", "README.md": "", "internal/a.go": "", "docs/x.md": "" });
    await detectStack(r.paths, r.read);
    expect(r.reads).toEqual(["go.mod"]);
  });

  it("an empty repository (docs and aks-bootstrap's own files only) gets the starter app", async () => {
    const d = await detect({ "README.md": "", ".gitignore": "", ".azure-pipelines/ci.yml": "", LICENSE: "" });
    expect(d).toEqual({ kind: "empty", dockerfile: false });
    const choice = chooseStack(stackSchema.parse({}), d, {
      starterApp: true,
      repository: "shop",
      userDockerfile: false,
    });
    expect(choice).toMatchObject({
      starterApp: true,
      generateDockerfile: false,
      stack: { language: "node", tool: "npm" },
    });
    // Without the starter app (pipeline.starterApp: false) there is no app to write a Dockerfile for
    const none = chooseStack(stackSchema.parse({}), d, {
      starterApp: false,
      repository: "shop",
      userDockerfile: false,
    });
    expect(none).toMatchObject({ starterApp: false, generateDockerfile: false });
  });

  it("an app aks-bootstrap cannot read is an undetectable stack naming the fix", async () => {
    // Given a Rust service, and a package.json only below the root
    const d = await detect({ "Cargo.toml": "", "src/main.rs": "", "web/package.json": "{}" });
    expect(d).toEqual({ kind: "undetectable", nested: ["web/package.json"], dockerfile: false });
    // Then choosing with stack auto fails, naming stack.language
    expect(() =>
      chooseStack(stackSchema.parse({}), d, { starterApp: true, repository: "shop", userDockerfile: false }),
    ).toThrow(
      /undetectable stack: repository shop has no package.json.*found web\/package.json below the root/,
    );
    try {
      chooseStack(stackSchema.parse({}), d, { starterApp: true, repository: "shop", userDockerfile: false });
    } catch (err) {
      expect((err as { hint?: string }).hint).toMatch(
        /Set `stack.language` in the answers file .* or choose the stack in the wizard/,
      );
    }
    // And an explicit language builds it anyway, with that language's defaults
    const explicit = chooseStack(stackSchema.parse({ language: "go" }), d, {
      starterApp: true,
      repository: "shop",
      userDockerfile: false,
    });
    expect(explicit.stack).toMatchObject({ language: "go", tool: "go", version: "1.22.0" });
  });

  it("an explicit language keeps what was detected for it and takes the answers' tool and version", async () => {
    const d = await detected({
      "requirements.txt": "",
      "pyproject.toml": '[project]\nrequires-python=">=3.11"\n',
    });
    const choice = chooseStack(stackSchema.parse({ language: "python", tool: "uv" }), d, {
      starterApp: true,
      repository: "shop",
      userDockerfile: false,
    });
    expect(choice.stack).toMatchObject({ language: "python", tool: "uv", version: "3.11" });
    expect(choice.notes[0]).toMatch(
      /^stack: Python 3.11 with uv \(from the answers' stack; the repository has pyproject.toml/,
    );
  });

  it("the answers refuse a tool of another language, and tool or version without a language", () => {
    expect(stackSchema.safeParse({ language: "python", tool: "maven" }).error?.issues[0]?.message).toBe(
      "is not a python tool: use pip or poetry or uv",
    );
    expect(stackSchema.safeParse({ tool: "npm" }).error?.issues[0]?.path).toEqual(["tool"]);
    expect(stackSchema.safeParse({ language: "go", version: "latest" }).success).toBe(false);
  });
});
