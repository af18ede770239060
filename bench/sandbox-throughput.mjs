// Requests per second through the sandbox's HTTPS core and ARM emulation, and its memory.
// Drives the real SDK clients (the same path the product takes): a warm-up, then N concurrent
// workers doing GET/PUT mixes on resource groups and registries for a fixed number of requests.
// Needs `npm run build` first. BENCH_REQUESTS (default 2000), BENCH_CONCURRENCY (default 16).
import { startSandbox } from "../dist/src/sandbox/index.js";
import { createAzureClients } from "../dist/src/clients/azure.js";

const total = Number(process.env.BENCH_REQUESTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const sandbox = await startSandbox({ speed: 10_000 });
try {
  const az = createAzureClients(sandbox.target());
  await az.resources.resourceGroups.createOrUpdate("rg-bench", { location: "westeurope" });
  await az.registry.registries.beginCreateAndWait(
    "rg-bench",
    "crbench00001",
    { location: "westeurope", sku: { name: "Basic" } },
    az.lro,
  );
  const rssBefore = process.memoryUsage().rss;
  let next = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      if (i % 4 === 0)
        await az.resources.resourceGroups.createOrUpdate(`rg-bench-${i % 50}`, {
          location: "westeurope",
          tags: { i: String(i) },
        });
      else if (i % 4 === 1) await az.registry.registries.get("rg-bench", "crbench00001");
      else await az.resources.resourceGroups.get("rg-bench");
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = process.memoryUsage().rss;
  console.log(
    JSON.stringify({
      bench: "sandbox-throughput",
      requests: total,
      concurrency,
      seconds: Number(seconds.toFixed(2)),
      requestsPerSecond: Math.round(total / seconds),
      rssMB: Math.round(rss / 1e6),
      rssGrowthMB: Math.round((rss - rssBefore) / 1e6),
      note: "client and sandbox share this process; 1 in 4 requests is a PUT (state write + traffic log line)",
    }),
  );
} finally {
  await sandbox.close();
}
