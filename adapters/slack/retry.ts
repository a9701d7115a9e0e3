// Bounded retries for Slack Web API calls. The WebClient's default policy waits out every 429 and
// retries up to 10 times over ~30 minutes; a digest or an answer would stall silently. Here the
// client rejects rate-limited calls at once (rejectRateLimitedCalls) and `withRateLimit` waits the
// Retry-After itself, a few times within a fixed budget, then logs the failure and gives up.
import type { webApi } from "@slack/bolt";
import type { Logger } from "../../src/log.ts";

/** Network errors and 5xx: a few quick retries inside the WebClient, never more than ~30 s. */
export const WEB_CLIENT_RETRIES: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5_000, maxRetryTime: 30_000, randomize: true };

/** Each request's own time limit (an upload of a chart is tens of kB). */
export const WEB_CLIENT_TIMEOUT_MS = 15_000;

export type RateLimitPolicy = {
  /** Calls in all, the first included. */
  attempts: number;
  /** Most time spent waiting on Retry-After for one call; a longer Retry-After fails at once. */
  budgetMs: number;
};

export const RATE_LIMIT_POLICY: RateLimitPolicy = { attempts: 3, budgetMs: 30_000 };

/** Seconds Slack asked us to wait, when the error is a 429; undefined for any other error. */
export function retryAfterSeconds(e: unknown): number | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const { code, retryAfter } = e as { code?: unknown; retryAfter?: unknown };
  return code === "slack_webapi_rate_limited_error" && typeof retryAfter === "number" && retryAfter >= 0 ? retryAfter : undefined;
}

/** What to log about a failed call: the Slack error code, never the request. */
export function describeSlackError(e: unknown): { code: string; error?: string } {
  if (typeof e !== "object" || e === null) return { code: "unknown" };
  const { code, data, statusCode } = e as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown };
  const error = typeof data?.error === "string" ? data.error : typeof statusCode === "number" ? `http_${statusCode}` : undefined;
  return { code: typeof code === "string" ? code : e instanceof Error ? e.name : "unknown", ...(error ? { error } : {}) };
}

export type RetryDeps = { policy: RateLimitPolicy; logger: Logger; sleep?: (ms: number) => Promise<void> };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run one Web API call, honouring Retry-After within the policy. Every failure is logged once
 * (`slack_call_failed`) and rethrown.
 *
 * @example
 * await withRateLimit("chat.postMessage", () => client.chat.postMessage(args), { policy: RATE_LIMIT_POLICY, logger });
 */
export async function withRateLimit<T>(method: string, call: () => Promise<T>, deps: RetryDeps): Promise<T> {
  const sleep = deps.sleep ?? realSleep;
  let waitedMs = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const retryAfter = retryAfterSeconds(e);
      if (retryAfter === undefined) {
        deps.logger.error("slack_call_failed", { method, attempts: attempt, ...describeSlackError(e) });
        throw e;
      }
      const waitMs = Math.max(retryAfter, 1) * 1000;
      if (attempt >= deps.policy.attempts || waitedMs + waitMs > deps.policy.budgetMs) {
        deps.logger.error("slack_call_failed", { method, attempts: attempt, code: "rate_limited", retryAfterSeconds: retryAfter, waitedMs });
        throw e;
      }
      deps.logger.info("slack_rate_limited", { method, attempt, retryAfterSeconds: retryAfter });
      await sleep(waitMs);
      waitedMs += waitMs;
    }
  }
}
