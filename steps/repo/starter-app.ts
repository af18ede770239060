import type { GeneratedFile, TemplateInput } from "./template-input.js";
import { dockerfileDir, healthPath } from "./template-input.js";

/**
 * A minimal Node.js HTTP service so the first PR, CI and CD runs can pass in a repository that
 * has no app yet. No dependencies: lint is `node --check`, tests use node:test with its JUnit
 * reporter (picked up by PublishTestResults@2). Its npm scripts match the default commands of
 * the answers. Scaffold files: added once, then the user's code.
 */
export function starterAppFiles({ answers }: TemplateInput): GeneratedFile[] {
  const dir = dockerfileDir(answers);
  const at = (p: string) => (dir ? `${dir}/${p}` : p);
  const port = answers.pipeline.containerPort;
  const name = answers.app;
  const test = (kind: string) =>
    `node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=junit-${kind}.xml "test/${kind}/*.test.js"`;
  const pkg = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=22" },
    scripts: {
      start: "node src/server.js",
      lint: "node --check src/app.js && node --check src/server.js",
      build: "node --check src/server.js",
      test: test("unit"),
      "test:integration": test("integration"),
      "test:acceptance": test("acceptance"),
    },
  };
  const lock = {
    name,
    version: "0.1.0",
    lockfileVersion: 3,
    requires: true,
    packages: { "": { name, version: "0.1.0", engines: { node: ">=22" } } },
  };
  const secretEnvs = answers.keyVault.secrets.map((s) => s.env);
  const files: Array<[string, string]> = [
    ["package.json", `${JSON.stringify(pkg, null, 2)}\n`],
    ["package-lock.json", `${JSON.stringify(lock, null, 2)}\n`],
    [
      "src/app.js",
      `import { createServer } from "node:http";

/** The HTTP service: ${healthPath} for the Kubernetes probes, / for everything else. */
export function createApp() {
  return createServer((req, res) => {
    const json = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url === "${healthPath}") return json(200, { status: "ok" });
    if (req.method === "GET" && req.url === "/") return json(200, { app: "${name}" });
    return json(404, { error: "not found" });
  });
}
`,
    ],
    [
      "src/server.js",
      `import { createApp } from "./app.js";

const port = Number(process.env.PORT ?? ${port});
const server = createApp().listen(port, () => console.log(\`listening on \${server.address().port}\`));
if (process.env.APPLICATIONINSIGHTS_CONNECTION_STRING) console.log("Application Insights connection string is set");
// Kubernetes sends SIGTERM before stopping the pod: finish open requests, then exit.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`,
    ],
    [
      "test/unit/app.test.js",
      `import { test } from "node:test";
import assert from "node:assert/strict";
import { createApp } from "../../src/app.js";

test("GET ${healthPath} answers 200", async (t) => {
  const server = createApp().listen(0);
  t.after(() => server.close());
  await new Promise((resolve) => server.once("listening", resolve));
  const res = await fetch(\`http://127.0.0.1:\${server.address().port}${healthPath}\`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok" });
});
`,
    ],
    [
      "test/integration/secrets.test.js",
      `import { test } from "node:test";
import assert from "node:assert/strict";

// The CI pipeline maps each Key Vault secret to one of these variables. Values are never printed.
const names = ${JSON.stringify(secretEnvs)};

test("the CI secrets reach the integration tests", { skip: !process.env.TF_BUILD && "not in Azure Pipelines" }, () => {
  for (const name of names) assert.ok(process.env[name], \`\${name} is empty\`);
});
`,
    ],
    [
      "test/acceptance/health.test.js",
      `import { test } from "node:test";
import assert from "node:assert/strict";

// APP_URL is the deployed service, set by the CD pipeline.
const url = process.env.APP_URL;

test("the deployed app is healthy", { skip: !url && "APP_URL is not set" }, async () => {
  const res = await fetch(new URL("${healthPath}", url));
  assert.equal(res.status, 200);
});
`,
    ],
    [
      answers.pipeline.dockerfile.replace(/^\.?\//, "").replace(/^.*\//, ""),
      `FROM node:22-alpine
WORKDIR /app
ENV NODE_ENV=production PORT=${port}
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY src ./src
# Numeric user (the image's "node" user), so Kubernetes can verify runAsNonRoot.
USER 1000
EXPOSE ${port}
CMD ["node", "src/server.js"]
`,
    ],
    [".dockerignore", "node_modules\njunit-*.xml\n.git\n"],
    [".gitignore", "node_modules/\njunit-*.xml\n"],
  ];
  return files.map(([path, body]) => ({ path: at(path), body, mode: "scaffold" as const }));
}
