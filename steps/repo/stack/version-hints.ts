/**
 * Versions read from the files each ecosystem keeps them in. Each parser returns undefined when
 * the file says nothing usable, so the caller falls back to the next file, then the default.
 */

/** First `major` of a range like ">=20", "^18.17", "20.x", "v22.3.0", "lts/iron" (none). */
function firstMajor(range: string): string | undefined {
  return /(\d+)/.exec(range)?.[1];
}

/** First `major.minor` of a range like ">=3.11", "^3.12", "~=3.10.4", "3.12.1". */
function firstMajorMinor(range: string): string | undefined {
  const m = /(\d+)\.(\d+)/.exec(range);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** .nvmrc / .node-version: "22", "v20.11.1", "lts/*" (no number: undefined). */
export function nodeVersionFile(text: string): string | undefined {
  return firstMajor(text.trim().split(/\r?\n/)[0] ?? "");
}

/** package.json `engines.node`; `packageManager` ("pnpm@9.1.0") names the tool. */
export function packageJsonFacts(text: string): { node?: string; packageManager?: string; name?: string } {
  try {
    const pkg = JSON.parse(text) as {
      engines?: { node?: unknown };
      packageManager?: unknown;
      name?: unknown;
    };
    const node = typeof pkg.engines?.node === "string" ? firstMajor(pkg.engines.node) : undefined;
    const pm =
      typeof pkg.packageManager === "string" ? /^([a-z]+)@/.exec(pkg.packageManager)?.[1] : undefined;
    return {
      ...(node ? { node } : {}),
      ...(pm ? { packageManager: pm } : {}),
      ...(typeof pkg.name === "string" ? { name: pkg.name } : {}),
    };
  } catch {
    return {};
  }
}

/** .python-version: "3.12", "3.11.4" -> "3.11". */
export function pythonVersionFile(text: string): string | undefined {
  return firstMajorMinor(text.trim().split(/\r?\n/)[0] ?? "");
}

/** pyproject.toml: requires-python, or Poetry's python dependency; whether it is a Poetry project; the name. */
export function pyprojectFacts(text: string): {
  python?: string;
  poetry: boolean;
  name?: string;
  script?: string;
} {
  const requires = /^\s*requires-python\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
  const poetry = /^\s*\[tool\.poetry\]/m.test(text);
  const poetryPython = /\[tool\.poetry\.dependencies\][^[]*?^\s*python\s*=\s*["']([^"']+)["']/ms.exec(
    text,
  )?.[1];
  const name = /^\s*name\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
  const script = /\[(?:project|tool\.poetry)\.scripts\]\s*\n\s*["']?([A-Za-z0-9_.-]+)["']?\s*=/m.exec(
    text,
  )?.[1];
  const python = (requires && firstMajorMinor(requires)) || (poetryPython && firstMajorMinor(poetryPython));
  return {
    poetry,
    ...(python ? { python } : {}),
    ...(name ? { name } : {}),
    ...(script ? { script } : {}),
  };
}

/** global.json `sdk.version` "8.0.204" -> "8.0". */
export function globalJsonSdk(text: string): string | undefined {
  try {
    const v = (JSON.parse(text) as { sdk?: { version?: unknown } }).sdk?.version;
    return typeof v === "string" ? firstMajorMinor(v) : undefined;
  } catch {
    return undefined;
  }
}

/** A .csproj's TargetFramework(s) "net8.0" -> "8.0"; AssemblyName when set. */
export function csprojFacts(text: string): { dotnet?: string; assembly?: string } {
  const tfm = /<TargetFrameworks?>\s*net(\d+\.\d+)/.exec(text)?.[1];
  const assembly = /<AssemblyName>\s*([^<\s]+)\s*<\/AssemblyName>/.exec(text)?.[1];
  return { ...(tfm ? { dotnet: tfm } : {}), ...(assembly ? { assembly } : {}) };
}

/** pom.xml: maven.compiler.release/source, java.version, or the compiler plugin's <release>. */
export function pomJavaVersion(text: string): string | undefined {
  const m =
    /<maven\.compiler\.release>\s*(?:1\.)?(\d+)/.exec(text) ??
    /<java\.version>\s*(?:1\.)?(\d+)/.exec(text) ??
    /<maven\.compiler\.source>\s*(?:1\.)?(\d+)/.exec(text) ??
    /<release>\s*(\d+)\s*<\/release>/.exec(text);
  return m?.[1];
}

/** build.gradle(.kts): a toolchain `JavaLanguageVersion.of(21)`, `JavaVersion.VERSION_17`, sourceCompatibility. */
export function gradleJavaVersion(text: string): string | undefined {
  const m =
    /JavaLanguageVersion\.of\(\s*(\d+)\s*\)/.exec(text) ??
    /JavaVersion\.VERSION_(?:1_)?(\d+)/.exec(text) ??
    /sourceCompatibility\s*=\s*['"]?(?:1\.)?(\d+)/.exec(text);
  return m?.[1];
}

/**
 * go.mod: the `toolchain go1.22.4` line, else the `go 1.22` line. Go 1.21 and later release as
 * x.y.0 first, so a bare "1.22" becomes "1.22.0" (the download GoTool@0 can find).
 */
export function goModVersion(text: string): string | undefined {
  const toolchain = /^\s*toolchain\s+go(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(text)?.[1];
  const go = /^\s*go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(text)?.[1];
  const v = toolchain ?? go;
  if (!v) return undefined;
  const [major, minor, patch] = v.split(".").map(Number);
  return patch === undefined && (major ?? 0) >= 1 && (minor ?? 0) >= 21 ? `${v}.0` : v;
}

/** go.mod's module path, last element: the binary's name. */
export function goModule(text: string): string | undefined {
  return /^\s*module\s+(\S+)/m.exec(text)?.[1];
}
