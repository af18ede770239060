import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { Target } from "./target.js";

/**
 * The SDK's own retry policy honours Retry-After on 429/503, but a 429 WITHOUT Retry-After is
 * not retried. This policy retries those with exponential backoff (bounded by the Target).
 */
export function throttlingPolicy(target: Target): PipelinePolicy {
  return {
    name: "aksBootstrapThrottling",
    async sendRequest(request, next) {
      let attempt = 0;
      for (;;) {
        const response = await next(request);
        const throttled = response.status === 429 && !response.headers.get("retry-after");
        if (!throttled || attempt >= target.retry.maxRetries) return response;
        const delay = Math.min(target.retry.retryDelayMs * 2 ** attempt, target.retry.maxRetryDelayMs);
        attempt++;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, delay);
          request.abortSignal?.addEventListener(
            "abort",
            () => {
              clearTimeout(timer);
              reject(new Error("aborted"));
            },
            { once: true },
          );
        });
      }
    },
  };
}
