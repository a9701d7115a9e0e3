/**
 * The HubSpot CRM v3 calls the sync makes, and nothing else (README lists them so an admin knows
 * what to grant): owners, deal pipelines, object search, archived object lists.
 *
 * Plain fetch rather than @hubspot/api-client: the client retries 429s itself (a fixed 10 s × n
 * after TEN_SECONDLY_ROLLING, 1 s × n after the search limit, logging with console.error, no
 * jitter) and paces with its own limiter, so it could neither share our pacers nor keep retries
 * bounded and quiet. The paths, bodies and answers below are the ones the client sends and
 * reads (hubspot-api-nodejs: crm.owners.ownersApi.getPage, crm.pipelines.pipelinesApi.getAll,
 * crm.deals.searchApi.doSearch, crm.deals.basicApi.getPage with archived=true).
 */
import { z } from "zod";
import { defaultBackoff, pacedFetch, Pacer, realClock, type BackoffPolicy, type Clock, type Verdict } from "../pacing.ts";
import { SourceError } from "../source.ts";

export const HUBSPOT_DEFAULT_URL = "https://api.hubapi.com";

/** Search answers at most this many results per query; the window must move instead. */
export const SEARCH_RESULT_CAP = 10_000;
export const SEARCH_PAGE = 200;
export const LIST_PAGE = 100;

export type HubSpotClientOptions = {
  token: string;
  baseUrl?: string;
  clock?: Clock;
  policy?: BackoffPolicy;
  /** Private apps: 100 requests / 10 s (paced with a little margin). */
  requestsPer10s?: number;
  /** CRM search: 5 requests / s per account. */
  searchesPerSecond?: number;
  fetch?: typeof fetch;
  onRetry?: (info: { attempt: number; waitMs: number; why: string }) => void;
};

const paging = z.object({ next: z.object({ after: z.string() }).optional() }).optional();

const ownerSchema = z.object({
  id: z.string(),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  archived: z.boolean().optional(),
  teams: z.array(z.object({ id: z.string(), name: z.string(), primary: z.boolean().optional() })).nullish(),
});
export type HubSpotOwner = z.infer<typeof ownerSchema>;

const stageSchema = z.object({
  id: z.string(),
  label: z.string(),
  archived: z.boolean().optional(),
  metadata: z.record(z.string(), z.string().nullish()).optional(),
});
const pipelineSchema = z.object({ id: z.string(), label: z.string(), archived: z.boolean().optional(), stages: z.array(stageSchema) });
export type HubSpotPipeline = z.infer<typeof pipelineSchema>;

const objectSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  archived: z.boolean().optional(),
  archivedAt: z.string().nullish(),
  updatedAt: z.string().optional(),
});
export type HubSpotObject = z.infer<typeof objectSchema>;

const pageOf = <T extends z.ZodType>(item: T) => z.object({ results: z.array(item), paging });
const searchAnswer = z.object({ total: z.number().optional(), results: z.array(objectSchema), paging });

const errorBody = z.object({ message: z.string().optional(), category: z.string().optional(), policyName: z.string().optional(), errorType: z.string().optional() }).loose();

export class HubSpotClient {
  private readonly base: string;
  readonly general: Pacer;
  readonly search: Pacer;

  constructor(private readonly o: HubSpotClientOptions) {
    this.base = (o.baseUrl ?? HUBSPOT_DEFAULT_URL).replace(/\/+$/, "");
    const clock = o.clock ?? realClock;
    // A 5 % margin on the window keeps a sliding-window server from counting one too many.
    this.general = new Pacer(o.requestsPer10s ?? 100, 10_500, clock);
    this.search = new Pacer(o.searchesPerSecond ?? 5, 1_050, clock);
  }

  /** Every owner page (archived: the deactivated users). */
  async *owners(archived: boolean, signal?: AbortSignal): AsyncIterable<HubSpotOwner[]> {
    for (let after: string | undefined; ; ) {
      const q = new URLSearchParams({ limit: String(LIST_PAGE), archived: String(archived) });
      if (after) q.set("after", after);
      const page = pageOf(ownerSchema).parse(await this.get(`/crm/v3/owners?${q}`, signal));
      yield page.results;
      after = page.paging?.next?.after;
      if (!after) return;
    }
  }

  async dealPipelines(signal?: AbortSignal): Promise<HubSpotPipeline[]> {
    return z.object({ results: z.array(pipelineSchema) }).parse(await this.get("/crm/v3/pipelines/deals", signal)).results;
  }

  /**
   * One search page: `property` ≥ since (ms since epoch), ascending by it. `after` pages within
   * the query; past SEARCH_RESULT_CAP results the caller must start a new window.
   */
  async searchPage(
    type: string,
    q: { property: string; since: number; properties: readonly string[]; after?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<{ results: HubSpotObject[]; after: string | undefined; total: number | undefined }> {
    const body = {
      filterGroups: [{ filters: [{ propertyName: q.property, operator: "GTE", value: String(q.since) }] }],
      sorts: [{ propertyName: q.property, direction: "ASCENDING" }],
      properties: q.properties,
      limit: q.limit ?? SEARCH_PAGE,
      ...(q.after ? { after: q.after } : {}),
    };
    const answer = searchAnswer.parse(await this.call("POST", `/crm/v3/objects/${encodeURIComponent(type)}/search`, body, [this.general, this.search], signal));
    return { results: answer.results, after: answer.paging?.next?.after, total: answer.total };
  }

  /** Every archived record of a type, page by page. */
  async *archived(type: string, signal?: AbortSignal): AsyncIterable<HubSpotObject[]> {
    for (let after: string | undefined; ; ) {
      const q = new URLSearchParams({ limit: String(LIST_PAGE), archived: "true", properties: "hs_lastmodifieddate" });
      if (after) q.set("after", after);
      const page = pageOf(objectSchema).parse(await this.get(`/crm/v3/objects/${encodeURIComponent(type)}?${q}`, signal));
      yield page.results;
      after = page.paging?.next?.after;
      if (!after) return;
    }
  }

  private get(path: string, signal?: AbortSignal): Promise<unknown> {
    return this.call("GET", path, undefined, [this.general], signal);
  }

  private async call(method: "GET" | "POST", path: string, body: unknown, pacers: readonly Pacer[], signal?: AbortSignal): Promise<unknown> {
    const what = `HubSpot ${method} ${path.split("?")[0]}`;
    const res = await pacedFetch(
      this.base + path,
      {
        method,
        headers: { authorization: `Bearer ${this.o.token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      {
        pacers,
        what,
        verdict: (r) => verdict(r, what),
        ...(signal ? { signal } : {}),
        ...(this.o.clock ? { clock: this.o.clock } : {}),
        policy: this.o.policy ?? { ...defaultBackoff, baseMs: 1_000 },
        ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
        ...(this.o.onRetry ? { onRetry: this.o.onRetry } : {}),
      },
    ).catch((e: unknown) => {
      if (e instanceof SourceError || signal?.aborted) throw e;
      throw new SourceError(`${what}: cannot reach ${this.base} (${(e as Error).message})`);
    });
    const text = await res.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SourceError(`${what}: the answer is not JSON (HTTP ${res.status})`, res.status);
    }
  }
}

async function readError(res: Response): Promise<z.infer<typeof errorBody>> {
  try {
    const parsed = errorBody.safeParse(JSON.parse(await res.clone().text()));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** HubSpot's answers: rate limits by policy, auth and scope errors with what to do. */
async function verdict(res: Response, what: string): Promise<Verdict> {
  if (res.ok) return { do: "use" };
  const body = await readError(res);
  if (res.status === 429) {
    const policy = body.policyName ?? "unknown policy";
    if (policy === "DAILY") {
      return { do: "fail", error: new SourceError(`${what}: HubSpot's daily API limit is used up (429 DAILY); the sync continues after it resets`, 429) };
    }
    const after = res.headers.get("retry-after");
    const seconds = after !== null && /^\d+(\.\d+)?$/.test(after.trim()) ? Number(after) * 1000 : null;
    // The search limit is per second: a second's wait is enough. TEN_SECONDLY_ROLLING: backoff.
    return { do: "retry", waitMs: seconds ?? (policy === "SECONDLY" ? 1_000 : null), why: `429 ${policy}` };
  }
  if (res.status >= 500) return { do: "retry", waitMs: null, why: `HTTP ${res.status}` };
  if (res.status === 401) {
    return {
      do: "fail",
      error: new SourceError(`${what}: HubSpot refused the token (401 ${body.category ?? "INVALID_AUTHENTICATION"}); set HUBSPOT_TOKEN to the private app's access token`, 401),
    };
  }
  if (res.status === 403) {
    return {
      do: "fail",
      error: new SourceError(`${what}: the private app lacks a scope (403: ${body.message ?? "forbidden"}); grant the scopes README "Live CRM sync" lists`, 403),
    };
  }
  return { do: "fail", error: new SourceError(`${what}: HTTP ${res.status}${body.message ? `: ${body.message}` : ""}`, res.status) };
}
