import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { sleep } from "../engine/sleep.js";
import { backoffMs } from "./devops-retry.js";
import type { Target } from "./target.js";

/**
 * The SDK's own retry policy honours Retry-After on 429/503, but a 429 WITHOUT Retry-After is
 * not retried. This policy retries those with exponential backoff (bounded by the Target).
 */
export function throttlingPolicy(target: Target): PipelinePolicy {
  return {
    name: "aksBootstrapThrottling",
    async sendRequest(request, next) {
      for (let attempt = 0; ; attempt++) {
        const response = await next(request);
        const throttled = response.status === 429 && !response.headers.get("retry-after");
        if (!throttled || attempt >= target.retry.maxRetries) return response;
        await sleep(backoffMs(target.retry, attempt), request.abortSignal);
      }
    },
  };
}
