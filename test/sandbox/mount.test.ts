import { afterEach, describe, expect, it } from "vitest";
import { redactBody } from "../../src/sandbox/redact.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { fastSandbox, rawRequest, traffic } from "./helpers.js";

const DEVOPS_SCOPE = "499b84ac-1321-427f-aa17-267ca6975798/.default";

describe("the core around the Azure DevOps emulation", () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it("routes /{organization} to the DevOps module with the verified Entra caller", async () => {
    sandbox = await fastSandbox();
    const res = await rawRequest(
      sandbox,
      "GET",
      `${sandbox.organizationUrl}/_apis/connectionData`,
      undefined,
      DEVOPS_SCOPE,
    );
    expect(res.status).toBe(200);
    const other = await rawRequest(
      sandbox,
      "GET",
      `${sandbox.endpoints.devops}/another-org/_apis/connectionData`,
      undefined,
      DEVOPS_SCOPE,
    );
    expect(other.status).toBe(404);
  });

  it("applies the fault plan to DevOps requests too, with DevOps-shaped error bodies", async () => {
    sandbox = await fastSandbox({ faults: "503=1" });
    const res = await rawRequest(
      sandbox,
      "GET",
      `${sandbox.organizationUrl}/_apis/projects`,
      undefined,
      DEVOPS_SCOPE,
    );
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ typeKey: "ServiceUnavailable" });
    expect(traffic(sandbox).find((e) => e.service === "devops")?.fault).toBe("503");
  });

  it("redacts secret variables and credentials in logged bodies", () => {
    const body = {
      variables: {
        plain: { value: "visible", isSecret: false },
        hidden: { value: "hidden-value", isSecret: true },
      },
      authorization: { parameters: { serviceprincipalkey: "spn-key-value", tenantid: "t" } },
    };
    expect(redactBody(body, false)).toEqual({
      variables: {
        plain: { value: "visible", isSecret: false },
        hidden: { value: "[REDACTED]", isSecret: true },
      },
      authorization: { parameters: { serviceprincipalkey: "[REDACTED]", tenantid: "t" } },
    });
  });
});
