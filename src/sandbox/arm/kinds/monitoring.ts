import { randomBytes, randomUUID } from "node:crypto";
import { ArmError } from "../errors.js";
import { props, type KindContext, type TrackedKind } from "../kinds.js";
import { trackedEnvelope } from "../shape.js";

/** Microsoft.OperationalInsights/workspaces (spec 2025-07-01). */
export const workspaces: TrackedKind = {
  namespace: "Microsoft.OperationalInsights",
  typeName: "workspaces",
  validateName(name) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/.test(name)) {
      return `The workspace name '${name}' is invalid. It must be 4 to 63 characters: letters, digits and '-', starting and ending with a letter or digit.`;
    }
    return undefined;
  },
  nameErrorCode: "InvalidParameter",
  shape: {
    fields: {
      ...trackedEnvelope,
      identity: "object",
      properties: {
        fields: {
          sku: {
            required: ["name"],
            fields: {
              name: {
                enum: [
                  "Free",
                  "Standard",
                  "Premium",
                  "PerNode",
                  "PerGB2018",
                  "Standalone",
                  "CapacityReservation",
                  "LACluster",
                ],
              },
              capacityReservationLevel: "integer",
            },
          },
          retentionInDays: "integer",
          workspaceCapping: "object",
          publicNetworkAccessForIngestion: { enum: ["Enabled", "Disabled", "SecuredByPerimeter"] },
          publicNetworkAccessForQuery: { enum: ["Enabled", "Disabled", "SecuredByPerimeter"] },
          features: "object",
          forceCmkForQuery: "boolean",
        },
      },
    },
  },
  check(body) {
    const days = props(body)["retentionInDays"];
    if (days !== undefined && (typeof days !== "number" || days < 30 || days > 730)) {
      throw new ArmError(400, "InvalidParameter", "'RetentionInDays' must be between 30 and 730.");
    }
  },
  build(body, ctx, existing) {
    const p = props(body);
    const prev = existing ? props(existing) : {};
    const now = new Date(ctx.core.clock.now()).toISOString();
    return {
      properties: {
        customerId: prev["customerId"] ?? randomUUID(),
        sku: { name: "PerGB2018", ...((p["sku"] as object | undefined) ?? {}), lastSkuUpdate: now },
        retentionInDays: p["retentionInDays"] ?? 30,
        features: {
          legacy: 0,
          searchVersion: 1,
          enableLogAccessUsingOnlyResourcePermissions: true,
          ...((p["features"] as object | undefined) ?? {}),
        },
        workspaceCapping: { dailyQuotaGb: -1, quotaNextResetTime: now, dataIngestionStatus: "RespectQuota" },
        publicNetworkAccessForIngestion: p["publicNetworkAccessForIngestion"] ?? "Enabled",
        publicNetworkAccessForQuery: p["publicNetworkAccessForQuery"] ?? "Enabled",
        createdDate: prev["createdDate"] ?? now,
        modifiedDate: now,
      },
    };
  },
};

function requireExisting(ctx: KindContext, id: unknown, what: string): void {
  if (typeof id !== "string" || !ctx.core.state.resources[id.toLowerCase()]) {
    throw new ArmError(
      400,
      "InvalidParameter",
      `The ${what} '${String(id)}' was not found or is not a valid resource id.`,
    );
  }
}

/** Microsoft.Insights/components (spec 2020-02-02): workspace-based Application Insights. */
export const components: TrackedKind = {
  namespace: "Microsoft.Insights",
  typeName: "components",
  createStatus: 200,
  noSystemData: true,
  validateName(name) {
    if (!/^[^%&\\?/]{1,255}$/.test(name) || name.endsWith(".") || name.endsWith(" ")) {
      return `The component name '${name}' is invalid: 1-255 characters, none of %&\\?/ and not ending with '.' or a space.`;
    }
    return undefined;
  },
  shape: {
    required: ["kind"],
    fields: {
      ...trackedEnvelope,
      kind: "string",
      properties: {
        required: ["Application_Type"],
        fields: {
          Application_Type: { enum: ["web", "other"] },
          Flow_Type: { enum: ["Bluefield"] },
          Request_Source: { enum: ["rest"] },
          HockeyAppId: "string",
          SamplingPercentage: "number",
          RetentionInDays: "integer",
          DisableIpMasking: "boolean",
          ImmediatePurgeDataOn30Days: "boolean",
          WorkspaceResourceId: "string",
          publicNetworkAccessForIngestion: { enum: ["Enabled", "Disabled"] },
          publicNetworkAccessForQuery: { enum: ["Enabled", "Disabled"] },
          IngestionMode: {
            enum: ["ApplicationInsights", "ApplicationInsightsWithDiagnosticSettings", "LogAnalytics"],
          },
          DisableLocalAuth: "boolean",
          ForceCustomerStorageForProfiler: "boolean",
        },
      },
    },
  },
  check(body, ctx) {
    const ws = props(body)["WorkspaceResourceId"];
    if (ws !== undefined) requireExisting(ctx, ws, "WorkspaceResourceId");
  },
  build(body, ctx, existing) {
    const p = props(body);
    const prev = existing ? props(existing) : {};
    const key = String(prev["InstrumentationKey"] ?? randomUUID());
    const appId = String(prev["AppId"] ?? randomUUID());
    const loc = String(body["location"]).toLowerCase().replace(/\s+/g, "");
    const ws = p["WorkspaceResourceId"];
    return {
      kind: body["kind"],
      etag: `"${randomBytes(8).toString("hex")}"`,
      properties: {
        ApplicationId: ctx.name,
        AppId: appId,
        Name: ctx.name,
        Application_Type: p["Application_Type"],
        Flow_Type: p["Flow_Type"] ?? "Bluefield",
        Request_Source: p["Request_Source"] ?? "rest",
        InstrumentationKey: key,
        ConnectionString: `InstrumentationKey=${key};IngestionEndpoint=https://${loc}-5.in.applicationinsights.azure.com/;LiveEndpoint=https://${loc}.livediagnostics.monitor.azure.com/;ApplicationId=${appId}`,
        CreationDate: prev["CreationDate"] ?? new Date(ctx.core.clock.now()).toISOString(),
        TenantId: ctx.subscriptionId,
        SamplingPercentage: p["SamplingPercentage"] ?? null,
        RetentionInDays: p["RetentionInDays"] ?? 90,
        ...(ws ? { WorkspaceResourceId: ws } : {}),
        IngestionMode: ws ? "LogAnalytics" : (p["IngestionMode"] ?? "ApplicationInsights"),
        publicNetworkAccessForIngestion: p["publicNetworkAccessForIngestion"] ?? "Enabled",
        publicNetworkAccessForQuery: p["publicNetworkAccessForQuery"] ?? "Enabled",
        DisableLocalAuth: p["DisableLocalAuth"] ?? false,
      },
    };
  },
};

/** Microsoft.Insights/dataCollectionRules (spec 2023-03-11). */
export const dataCollectionRules: TrackedKind = {
  namespace: "Microsoft.Insights",
  typeName: "dataCollectionRules",
  validateName(name) {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/.test(name)) {
      return `The data collection rule name '${name}' is invalid: up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit.`;
    }
    return undefined;
  },
  shape: {
    fields: {
      ...trackedEnvelope,
      kind: "string",
      identity: "object",
      properties: {
        fields: {
          description: "string",
          dataCollectionEndpointId: "string",
          streamDeclarations: "object",
          dataSources: "object",
          destinations: "object",
          dataFlows: "array",
          agentSettings: "object",
          references: "object",
        },
      },
    },
  },
  check(body, ctx) {
    const p = props(body);
    const la = ((p["destinations"] as Record<string, unknown> | undefined)?.["logAnalytics"] ?? []) as Record<
      string,
      unknown
    >[];
    for (const d of la)
      requireExisting(ctx, d["workspaceResourceId"], "destinations.logAnalytics.workspaceResourceId");
    const names = new Set(la.map((d) => String(d["name"])));
    for (const flow of (p["dataFlows"] ?? []) as Record<string, unknown>[]) {
      for (const dest of (flow["destinations"] ?? []) as string[]) {
        if (!names.has(dest)) {
          throw new ArmError(
            400,
            "InvalidPayload",
            `Data flow destination '${dest}' is not defined in 'destinations'.`,
          );
        }
      }
    }
  },
  build(body, _ctx, existing) {
    const prev = existing ? props(existing) : {};
    return {
      ...(body["kind"] ? { kind: body["kind"] } : {}),
      properties: {
        ...props(body),
        immutableId: prev["immutableId"] ?? `dcr-${randomBytes(16).toString("hex")}`,
      },
    };
  },
};
