// Retries for calls to the Bot Connector: 429 (throttled), 412, 502 and 504, with exponential
// backoff and jitter, bounded in count and delay. Installed as the connector client's retry
// policy, replacing the Azure SDK default (which ignores a 429 without Retry-After and 412, and
// waits up to a minute between 5xx retries).
import type { ConnectorClient } from "botframework-connector";

export type RetryOptions = {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Delay before the first retry, before jitter. Doubles each retry. */
  baseDelayMs: number;
  /** Upper bound of any one delay, Retry-After included. */
  maxDelayMs: number;
};

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 8000 };

export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([412, 429, 502, 504]);

/**
 * Delay before retry number `retry` (0 = the first): "equal jitter" exponential backoff, half
 * fixed and half random, never below a server's Retry-After, never above maxDelayMs.
 *
 * @example
 * backoffDelay(0, { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 8000 }, undefined, () => 0.5) // => 375
 * backoffDelay(5, { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 8000 }, undefined, () => 1)   // => 8000
 */
export function backoffDelay(retry: number, options: RetryOptions, retryAfterMs?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.min(options.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)));
}

/** Retry-After as milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

// The slice of @azure/core-rest-pipeline's pipeline the connector client exposes (structural, so
// no direct dependency on that package).
type PipelineResponse = { status: number; headers: { get(name: string): string | undefined } };
type PipelinePolicy = { name: string; sendRequest(request: unknown, next: (request: unknown) => Promise<PipelineResponse>): Promise<PipelineResponse> };
type Pipeline = { removePolicy(options: { name?: string; phase?: string }): unknown; addPolicy(policy: PipelinePolicy, options?: { phase?: string }): void };

export type RetryEvent = { status: number; retry: number; delayMs: number };

export function retryPolicy(options: RetryOptions, onRetry?: (e: RetryEvent) => void, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): PipelinePolicy {
  return {
    name: "kpiBotConnectorRetry",
    async sendRequest(request, next) {
      for (let retry = 0; ; retry++) {
        const response = await next(request);
        if (!RETRYABLE_STATUS.has(response.status) || retry >= options.maxRetries) return response;
        const delayMs = backoffDelay(retry, options, retryAfterMs(response.headers.get("retry-after")));
        onRetry?.({ status: response.status, retry, delayMs });
        await sleep(delayMs);
      }
    },
  };
}

/** Replace a connector client's retry policy with ours. Throws if the SDK no longer exposes it. */
export function installRetryPolicy(client: ConnectorClient, policy: PipelinePolicy): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline || typeof pipeline.removePolicy !== "function") {
    throw new Error("botframework-connector's client no longer exposes its HTTP pipeline; cannot install the retry policy");
  }
  pipeline.removePolicy({ phase: "Retry" });
  pipeline.addPolicy(policy, { phase: "Retry" });
  return client;
}
