/**
 * Azure DevOps naming rules (learn.microsoft.com "Naming restrictions and conventions"):
 * what the service refuses for project, repository, environment and connection names.
 */
const RESERVED = new Set(
  [
    "AUX",
    "COM1",
    "COM2",
    "COM3",
    "COM4",
    "COM5",
    "COM6",
    "COM7",
    "COM8",
    "COM9",
    "COM10",
    "CON",
    "LPT1",
    "LPT2",
    "LPT3",
    "LPT4",
    "LPT5",
    "LPT6",
    "LPT7",
    "LPT8",
    "LPT9",
    "NUL",
    "PRN",
    "App_Browsers",
    "App_code",
    "App_Data",
    "App_GlobalResources",
    "App_LocalResources",
    "App_Themes",
    "App_WebResources",
    "bin",
    "web.config",
    "SERVER",
    "SignalR",
    "DefaultCollection",
    "Web",
  ].map((n) => n.toLowerCase()),
);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\ud800-\udfff]/;

function commonProblems(name: string, max: number, forbidden: RegExp): boolean {
  return (
    name.length === 0 ||
    name.length > max ||
    name.trim() !== name ||
    CONTROL.test(name) ||
    forbidden.test(name) ||
    name.startsWith("_") ||
    name.startsWith(".") ||
    name.endsWith(".") ||
    RESERVED.has(name.toLowerCase()) ||
    name.toLowerCase().startsWith("_vti_")
  );
}

export function isValidProjectName(name: string): boolean {
  return !commonProblems(name, 64, /[\\/:*?"'<>;#$*{},+=[\]|%&]/);
}

export function isValidRepositoryName(name: string): boolean {
  return !commonProblems(name, 64, /[\\/:*?"<>;#$*{},+=[\]|]/);
}

/** Environments: up to 256 characters, no leading/trailing blanks, none of the path characters. */
export function isValidEnvironmentName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 256 &&
    name.trim() === name &&
    !CONTROL.test(name) &&
    !/[\\/:*?"<>|]/.test(name)
  );
}

/** Service connection and variable group names: non-empty, at most 256 characters, no control characters. */
export function isValidDisplayName(name: string, max = 256): boolean {
  return name.trim().length > 0 && name.length <= max && !CONTROL.test(name);
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
