import type { SandboxRequest } from "../types.js";
import { DevopsError } from "./errors.js";

/**
 * api-version negotiation as Azure DevOps does it: the version comes from the Accept header
 * (`application/json;api-version=7.2-preview.4`, what azure-devops-node-api sends) or the
 * `api-version` query parameter. 7.1 is the latest released version, 7.2 is preview: asking
 * for 7.2 without `-preview` is refused, as is anything above 7.2 or a resource version above
 * what the location advertises.
 */
export const RELEASED_VERSION = "7.1";
export const MAX_VERSION = "7.2";
const MIN_VERSION = 1.0;

export interface ApiVersion {
  readonly text: string;
  readonly version: number;
  readonly preview: boolean;
  readonly resourceVersion?: number;
}

const COMMON_NS = "Microsoft.VisualStudio.Services.WebApi";

export function requestedApiVersion(req: SandboxRequest): string | undefined {
  const fromQuery = req.query.get("api-version");
  if (fromQuery) return fromQuery;
  const accept = req.headers.accept ?? "";
  const m = /api-version=([^;,\s]+)/i.exec(accept);
  return m?.[1];
}

/** Validates the requested version against a resource whose latest preview revision is `resourceVersion`. */
export function negotiateVersion(req: SandboxRequest, resourceVersion: number): ApiVersion | undefined {
  const text = requestedApiVersion(req);
  if (!text) {
    if (req.method === "GET" || req.method === "OPTIONS") return undefined;
    throw new DevopsError(
      400,
      `No api-version was supplied for the ${req.method} request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").`,
      "VssVersionNotSpecifiedException",
      COMMON_NS,
      COMMON_NS,
    );
  }
  const m = /^(\d+)\.(\d+)(-preview(\.(\d+))?)?$/.exec(text.trim());
  if (!m) {
    throw new DevopsError(
      400,
      `The specified api-version '${text}' is not valid.`,
      "VssInvalidApiVersionException",
      COMMON_NS,
      COMMON_NS,
    );
  }
  const version = Number(`${m[1]}.${m[2]}`);
  const preview = m[3] !== undefined;
  const rv = m[5] !== undefined ? Number(m[5]) : undefined;
  if (version > Number(MAX_VERSION) || version < MIN_VERSION || (rv !== undefined && rv > resourceVersion)) {
    throw new DevopsError(
      400,
      `The requested REST API version of ${text} is out of range for this server. The latest REST API version this server supports is ${MAX_VERSION}-preview.${resourceVersion}.`,
      "VssVersionOutOfRangeException",
      COMMON_NS,
      COMMON_NS,
    );
  }
  if (version > Number(RELEASED_VERSION) && !preview) {
    throw new DevopsError(
      400,
      `The requested version "${text}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${text}-preview"`,
      "VssInvalidPreviewVersionException",
      COMMON_NS,
      COMMON_NS,
    );
  }
  return { text, version, preview, ...(rv !== undefined ? { resourceVersion: rv } : {}) };
}
