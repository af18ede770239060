import { randomUUID } from "node:crypto";
import { ArmError } from "../errors.js";
import { props, type TrackedKind } from "../kinds.js";
import { trackedEnvelope } from "../shape.js";

/** Microsoft.ManagedIdentity/userAssignedIdentities (spec 2024-11-30). */
export const userAssignedIdentities: TrackedKind = {
  namespace: "Microsoft.ManagedIdentity",
  typeName: "userAssignedIdentities",
  noProvisioningState: true,
  validateName(name) {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/.test(name)) {
      return `Resource name '${name}' is invalid. The name can contain only letters, digits, '-' and '_', must start with a letter or digit, and be 3 to 128 characters long.`;
    }
    return undefined;
  },
  shape: {
    fields: {
      ...trackedEnvelope,
      properties: { fields: { isolationScope: { enum: ["None", "Regional"] } } },
    },
  },
  build(body, ctx, existing) {
    const prev = existing ? props(existing) : {};
    const principalId = String(prev["principalId"] ?? randomUUID());
    return {
      properties: {
        isolationScope: props(body)["isolationScope"] ?? "None",
        tenantId: ctx.core.state.tenantId,
        principalId,
        clientId: prev["clientId"] ?? randomUUID(),
      },
    };
  },
  afterPut(resource, ctx) {
    const principalId = String(props(resource)["principalId"]);
    ctx.core.state.principals[principalId] ??= {
      objectId: principalId,
      kind: "ServicePrincipal",
      displayName: ctx.name,
      createdAt: ctx.core.clock.now(),
    };
  },
  afterDelete(resource, ctx) {
    delete ctx.core.state.principals[String(props(resource)["principalId"])];
  },
};

/** Federated identity credentials: child of a user-assigned identity, at most 20 per identity. */
export function validateFederatedCredential(name: string, body: unknown): Record<string, unknown> {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$/.test(name)) {
    throw new ArmError(
      400,
      "InvalidResourceName",
      `Resource name '${name}' is invalid. The name must be 3 to 120 characters: letters, digits, '-' and '_', starting with a letter or digit.`,
    );
  }
  const p = props((body ?? {}) as Record<string, unknown>);
  for (const field of ["issuer", "subject", "audiences"]) {
    if (p[field] === undefined || p[field] === null) {
      throw new ArmError(
        400,
        "BadRequest",
        `The request is missing required property 'properties.${field}'.`,
      );
    }
  }
  const issuer = String(p["issuer"]);
  if (!/^https:\/\//.test(issuer))
    throw new ArmError(400, "BadRequest", `Issuer '${issuer}' must be a URL that uses https.`);
  if (!Array.isArray(p["audiences"]) || p["audiences"].length !== 1) {
    throw new ArmError(
      400,
      "BadRequest",
      "Exactly one audience is supported for a federated identity credential.",
    );
  }
  return { issuer, subject: String(p["subject"]), audiences: p["audiences"] };
}
