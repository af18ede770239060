import type { SandboxResponse } from "../types.js";

/** ARM's error envelope: `{ error: { code, message } }`, thrown by handlers and sent as-is. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
  toResponse(): SandboxResponse {
    return {
      status: this.status,
      ...(this.headers ? { headers: this.headers } : {}),
      body: { error: { code: this.code, message: this.message } },
    };
  }
}

export const notFound = (type: string, name: string, rg: string) =>
  new ArmError(
    404,
    "ResourceNotFound",
    `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

export const rgNotFound = (rg: string) =>
  new ArmError(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`);

export const invalidContent = (detail: string) =>
  new ArmError(
    400,
    "InvalidRequestContent",
    `The request content was invalid and could not be deserialized: '${detail}'.`,
  );
