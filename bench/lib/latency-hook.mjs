// Preload (`node --import ./bench/lib/latency-hook.mjs ...`) that adds BENCH_LATENCY_MS to every
// outgoing HTTP(S) request of the process, client side: each response is handed to its caller
// that much later, as if the network's round trip were that long. It patches the CommonJS
// `https.request`/`http.request` (used by azure-devops-node-api's typed-rest-client) and syncs
// the ESM named exports (used by @azure/core-rest-pipeline and @azure/identity), so every client
// the product builds is covered without touching product code. Servers in the same process (the
// embedded sandbox) are not affected: they never call request().
import http from "node:http";
import https from "node:https";
import { syncBuiltinESMExports } from "node:module";

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 0);
if (latencyMs > 0) {
  for (const mod of [http, https]) {
    const original = mod.request;
    mod.request = function delayedRequest(...args) {
      const req = original.apply(this, args);
      const emit = req.emit;
      req.emit = function (event, ...rest) {
        if (event !== "response") return emit.call(this, event, ...rest);
        setTimeout(() => emit.call(this, event, ...rest), latencyMs);
        return true;
      };
      return req;
    };
  }
  syncBuiltinESMExports();
}
