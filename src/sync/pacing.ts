/**
 * Rate-limit pacing shared by the CRM connectors: a sliding-window pacer per limit (HubSpot: 100
 * requests / 10 s, 5 searches / s; Salesforce: whatever the org allows), honouring Retry-After,
 * and a bounded, jittered exponential backoff for 429s without one, 5xx answers and network
 * errors. Clock and randomness are injected so tests run without waiting.
 */
import { SourceError } from "./source.ts";

export type Clock = {
  /** Milliseconds, monotonic enough for pacing. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
};

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(resolve, Math.max(0, ms));
      signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
    }),
};

/**
 * At most `limit` requests in any `windowMs` (a sliding window of start times). `take()` waits
 * for a slot; calls are served in order.
 *
 * const p = new Pacer(100, 10_000); await p.take(); // the 101st take within 10 s waits
 */
export class Pacer {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private pausedUntil = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new Error(`a pacer needs limit ≥ 1 and a window > 0 (got ${limit} / ${windowMs} ms)`);
  }

  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.wait(signal));
    this.queue = turn.catch(() => {});
    return turn;
  }

  /** No request starts before `ms` from now (after a 429: the server's window is full). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  private async wait(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - this.windowMs) this.starts.shift();
      const until = Math.max(this.pausedUntil, this.starts.length >= this.limit ? this.starts[0]! + this.windowMs : 0);
      if (until <= now) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(until - now, signal);
    }
  }
}

export type BackoffPolicy = {
  /** Retries after the first attempt (bounded: then the request fails). */
  retries: number;
  /** First backoff; doubles each retry up to maxMs. */
  baseMs: number;
  maxMs: number;
  /** A Retry-After longer than this fails the request instead of waiting (the run stops cleanly). */
  maxRetryAfterMs: number;
  /** [0, 1) */
  random: () => number;
};

export const defaultBackoff: BackoffPolicy = { retries: 6, baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 5 * 60_000, random: Math.random };

/**
 * Wait before retry `attempt` (0-based): exponential, capped, with "equal jitter" — between half
 * and all of the step, so waits stay bounded below and above and replicas spread out.
 *
 * backoffMs(0, { ...defaultBackoff, random: () => 0 }) // => 250
 */
export function backoffMs(attempt: number, policy: Pick<BackoffPolicy, "baseMs" | "maxMs" | "random">): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return step / 2 + (step / 2) * policy.random();
}

/**
 * Retry-After as milliseconds: delta-seconds ("120") or an HTTP date; null when absent or
 * unreadable. retryAfterMs("2", 0) // => 2000
 */
export function retryAfterMs(header: string | null, nowEpochMs: number = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const s = header.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, at - nowEpochMs);
}

/**
 * What to do with an answer: use it, retry (after `waitMs`, or the backoff when null), or fail
 * with a message a person can act on.
 */
export type Verdict = { do: "use" } | { do: "retry"; waitMs: number | null; why: string } | { do: "fail"; error: SourceError };

/** 429 and 503 (Retry-After honoured), 500/502/504: retry; anything else: use. */
export function defaultVerdict(res: Response): Verdict {
  if (res.status === 429 || res.status === 503) return { do: "retry", waitMs: retryAfterMs(res.headers.get("retry-after")), why: `HTTP ${res.status}` };
  if (res.status === 500 || res.status === 502 || res.status === 504) return { do: "retry", waitMs: null, why: `HTTP ${res.status}` };
  return { do: "use" };
}

export type PacedOptions = {
  /** Every pacer the request counts against (HubSpot search: the 10-second one and the search one). */
  pacers: readonly Pacer[];
  clock?: Clock;
  policy?: BackoffPolicy;
  /** Decide on an answer; may read its body (clone it first when it may be used). */
  verdict?: (res: Response) => Promise<Verdict> | Verdict;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Called before each retry (logging, counting). */
  onRetry?: (info: { attempt: number; waitMs: number; why: string }) => void;
  /** What the request is, for error messages ("GET /crm/v3/owners"); never includes secrets. */
  what: string;
};

/**
 * fetch paced by every pacer, retried on rate limits, 5xx and network errors with bounded
 * jittered backoff; Retry-After is honoured (a wait longer than maxRetryAfterMs fails).
 */
export async function pacedFetch(url: string, init: RequestInit, o: PacedOptions): Promise<Response> {
  const clock = o.clock ?? realClock;
  const policy = o.policy ?? defaultBackoff;
  const doFetch = o.fetch ?? fetch;
  for (let attempt = 0; ; attempt++) {
    for (const p of o.pacers) await p.take(o.signal);
    let verdict: Verdict;
    let res: Response | null = null;
    try {
      res = await doFetch(url, { ...init, signal: o.signal });
      verdict = await (o.verdict ?? defaultVerdict)(res);
    } catch (e) {
      if (o.signal?.aborted) throw e;
      if (e instanceof SourceError) throw e;
      verdict = { do: "retry", waitMs: null, why: `network error: ${(e as Error).message}` };
    }
    if (verdict.do === "use") return res!;
    if (verdict.do === "fail") {
      await res?.body?.cancel().catch(() => {});
      throw verdict.error;
    }
    await res?.body?.cancel().catch(() => {});
    if (attempt >= policy.retries) {
      throw new SourceError(`${o.what} still failed after ${policy.retries + 1} attempts (${verdict.why}); the next run continues from where this one stopped`, res?.status);
    }
    if (verdict.waitMs !== null && verdict.waitMs > policy.maxRetryAfterMs) {
      throw new SourceError(`${o.what}: the API asks to wait ${Math.ceil(verdict.waitMs / 1000)} s (${verdict.why}); the next run continues from where this one stopped`, res?.status);
    }
    const waitMs = verdict.waitMs ?? backoffMs(attempt, policy);
    o.onRetry?.({ attempt: attempt + 1, waitMs, why: verdict.why });
    // Everyone sharing these pacers waits too: the server's window is full.
    for (const p of o.pacers) p.pause(waitMs);
    await clock.sleep(waitMs, o.signal);
  }
}
