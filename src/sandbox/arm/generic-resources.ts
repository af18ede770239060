import type { SandboxCore } from "../core.js";
import type { StoredResource } from "../state.js";
import type { SandboxRequest, SandboxResponse } from "../types.js";
import { requireRg, rgKey } from "./engine.js";
import { ArmError } from "./errors.js";

/**
 * Microsoft.Resources generic listing (Resources_List, Resources_ListByResourceGroup in
 * resources.json 2025-04-01): every top-level tracked resource of the subscription or group, as
 * `az resource list`, Get-AzResource and the portal's "All resources" read them. Extension and
 * child resources (role assignments, DCR associations, federated credentials) are not listed,
 * as ARM does not list them here. `$filter`, `$top` (with a nextLink carrying `$skiptoken`) and
 * `$expand=createdTime,changedTime,provisioningState` follow the spec's parameter descriptions.
 */
type Predicate = (r: StoredResource) => boolean;

/** ARM pages generic lists at 1000 when no $top is given. */
const PAGE = 1000;

const badFilter = (filter: string, why: string) =>
  new ArmError(
    400,
    "InvalidFilterInQueryString",
    `Invalid $filter '${filter}' specified in the query string. ${why}`,
  );

function literal(raw: string, filter: string): string {
  const m = /^'((?:[^']|'')*)'$/.exec(raw.trim());
  if (!m) throw badFilter(filter, `Expected a quoted value, got '${raw.trim()}'.`);
  return (m[1] ?? "").replace(/''/g, "'");
}

function field(r: StoredResource, name: string): string {
  switch (name) {
    case "resourcetype":
      return r.type;
    case "name":
      return String(r.body["name"] ?? "");
    case "location":
      return String(r.body["location"] ?? "");
    case "resourcegroup":
      return r.id.split("/")[4] ?? "";
    case "identity/principalid": {
      const identity = r.body["identity"] as { principalId?: string } | undefined;
      return identity?.principalId ?? "";
    }
    default:
      return "";
  }
}

const FIELDS = ["resourcetype", "name", "location", "resourcegroup", "identity/principalid"];

/** One clause of an `and`: `x eq 'v'`, `x ne 'v'`, `substringof('v', x)`, `startswith(tagName, 'v')`. */
function clause(
  text: string,
  filter: string,
  tags: { name?: string; value?: string; prefix?: string },
): Predicate {
  const t = text.trim();
  const sub = /^substringof\(\s*('(?:[^']|'')*')\s*,\s*(name|resourceGroup)\s*\)$/i.exec(t);
  if (sub) {
    const needle = literal(sub[1] ?? "", filter).toLowerCase();
    const f = (sub[2] ?? "").toLowerCase();
    return (r) => field(r, f).toLowerCase().includes(needle);
  }
  const starts = /^startswith\(\s*tagName\s*,\s*('(?:[^']|'')*')\s*\)$/i.exec(t);
  if (starts) {
    tags.prefix = literal(starts[1] ?? "", filter);
    return () => true;
  }
  const cmp = /^([\w/]+)\s+(eq|ne)\s+(.+)$/i.exec(t);
  if (!cmp) throw badFilter(filter, `Cannot parse '${t}'.`);
  const name = (cmp[1] ?? "").toLowerCase();
  const op = (cmp[2] ?? "").toLowerCase();
  const value = literal(cmp[3] ?? "", filter);
  if (name === "tagname" || name === "tagvalue") {
    if (op !== "eq") throw badFilter(filter, `Only 'eq' is supported with ${cmp[1] ?? ""}.`);
    if (name === "tagname") tags.name = value;
    else tags.value = value;
    return () => true;
  }
  if (!FIELDS.includes(name)) {
    throw badFilter(
      filter,
      `The property '${cmp[1] ?? ""}' is not supported. Use resourceType, name, location, resourceGroup, identity/principalId, tagName or tagValue.`,
    );
  }
  const wanted = value.toLowerCase();
  return op === "eq"
    ? (r) => field(r, name).toLowerCase() === wanted
    : (r) => field(r, name).toLowerCase() !== wanted;
}

interface ParsedFilter {
  readonly match: Predicate;
  /** Filtering by tag: ARM then leaves the tags out of the results. */
  readonly byTag: boolean;
}

export function parseFilter(filter: string | null): ParsedFilter {
  if (!filter?.trim()) return { match: () => true, byTag: false };
  let byTag = false;
  const alternatives = filter.split(/\s+or\s+/i).map((alt) => {
    const tags: { name?: string; value?: string; prefix?: string } = {};
    const parts = alt.split(/\s+and\s+/i).map((c) => clause(c, filter, tags));
    if (tags.value !== undefined && tags.name === undefined)
      throw badFilter(filter, "tagValue can only be used together with tagName.");
    if (tags.name !== undefined || tags.prefix !== undefined) byTag = true;
    const tagMatch: Predicate = (r) => {
      const own = Object.entries((r.body["tags"] ?? {}) as Record<string, string>);
      if (tags.prefix !== undefined)
        return own.some(([k]) => k.toLowerCase().startsWith(tags.prefix!.toLowerCase()));
      if (tags.name === undefined) return true;
      const hit = own.find(([k]) => k.toLowerCase() === tags.name!.toLowerCase());
      return !!hit && (tags.value === undefined || hit[1] === tags.value);
    };
    return (r: StoredResource) => tagMatch(r) && parts.every((p) => p(r));
  });
  return { match: (r) => alternatives.some((a) => a(r)), byTag };
}

function genericBody(r: StoredResource, byTag: boolean, expand: Set<string>): Record<string, unknown> {
  const b = r.body;
  // The type as the provider registered it (AKS's own GET says "ManagedClusters"; ARM's list does not).
  const out: Record<string, unknown> = { id: b["id"], name: b["name"], type: r.type };
  for (const k of ["kind", "managedBy", "sku", "plan", "identity", "location", "extendedLocation"]) {
    if (b[k] !== undefined) out[k] = b[k];
  }
  if (!byTag) out["tags"] = b["tags"] ?? {};
  const props = b["properties"] as Record<string, unknown> | undefined;
  const sys = b["systemData"] as { lastModifiedAt?: string } | undefined;
  if (expand.has("createdtime")) out["createdTime"] = new Date(r.createdAt).toISOString();
  if (expand.has("changedtime"))
    out["changedTime"] = sys?.lastModifiedAt ?? new Date(r.createdAt).toISOString();
  if (expand.has("provisioningstate")) out["provisioningState"] = props?.["provisioningState"] ?? "Succeeded";
  return out;
}

function positiveInt(raw: string | null, name: string): number | undefined {
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new ArmError(
      400,
      "InvalidParameter",
      `The value '${raw}' of query parameter '${name}' is invalid. It must be a positive whole number.`,
    );
  }
  return n;
}

/** GET {subscription}[/resourceGroups/{rg}]/resources. */
export function listGenericResources(
  core: SandboxCore,
  req: SandboxRequest,
  sub: string,
  rg: string | undefined,
  trackedTypes: ReadonlySet<string>,
): SandboxResponse {
  if (rg !== undefined) requireRg(core, sub, rg);
  const filter = parseFilter(req.query.get("$filter"));
  const top = positiveInt(req.query.get("$top"), "$top");
  const skip = positiveInt(req.query.get("$skiptoken"), "$skiptoken") ?? 0;
  const expand = new Set(
    (req.query.get("$expand") ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const prefix = rg !== undefined ? `${rgKey(sub, rg)}/providers/` : `/subscriptions/${sub}/`.toLowerCase();
  const now = core.clock.now();
  const all = Object.entries(core.state.resources)
    .filter(
      ([k, r]) =>
        k.startsWith(prefix) &&
        k.split("/").length === 9 &&
        trackedTypes.has(r.type.toLowerCase()) &&
        !(r.visibleAt && r.visibleAt > now) &&
        filter.match(r),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
  const size = top ?? PAGE;
  const page = all.slice(skip, skip + size);
  const body: Record<string, unknown> = { value: page.map((r) => genericBody(r, filter.byTag, expand)) };
  if (skip + size < all.length) {
    const next = new URL(req.url.toString());
    next.searchParams.set("$skiptoken", String(skip + size));
    body["nextLink"] = `${core.armUrl}${next.pathname}${next.search}`;
  }
  return { status: 200, body };
}
