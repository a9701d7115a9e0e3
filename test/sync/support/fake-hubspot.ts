// A fake HubSpot CRM v3 API on loopback HTTP, following the documented request and answer
// shapes (developers.hubspot.com: CRM search, objects, owners, pipelines; usage limits):
// - Bearer token auth; a bad token → 401 {status:"error", category:"INVALID_AUTHENTICATION"}.
// - Private-app limit 100 requests / 10 s (TEN_SECONDLY_ROLLING) and search 5 / s (SECONDLY),
//   sliding windows; a 429 carries errorType RATE_LIMIT and policyName, and NO Retry-After.
// - Search: filterGroups (GTE/GT/LTE/LT/EQ on a property), the first sort only, limit ≤ 200,
//   `after` = offset; paging past 10,000 results → 400. Lists ≤ 100 a page; archived=true lists.
// - Property values are strings; dates ISO 8601 with milliseconds.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeOwner = { id: string; email: string; firstName: string; lastName: string; archived: boolean; teams: { id: string; name: string; primary: boolean }[] };
export type FakeRecord = { id: string; properties: Record<string, string | null>; archived: boolean; archivedAt: string | null; createdAt: string; updatedAt: string };
export type FakeStage = { id: string; label: string; isClosed: boolean; probability: string };
export type FakePipeline = { id: string; label: string; stages: FakeStage[] };

export const OBJECT_TYPES = ["deals", "calls", "meetings", "emails", "tickets"] as const;
const MODIFIED = "hs_lastmodifieddate";
export type ObjectType = (typeof OBJECT_TYPES)[number];

export type FakeHubSpotOptions = {
  token?: string;
  /** Requests per 10 s (private app); 0: unlimited. */
  per10s?: number;
  /** Searches per second; 0: unlimited. */
  searchPerSecond?: number;
  /** Milliseconds clock for rate windows (default performance.now). */
  now?: () => number;
};

export class FakeHubSpot {
  readonly token: string;
  owners: FakeOwner[] = [];
  pipelines: FakePipeline[] = [];
  readonly objects = new Map<ObjectType, Map<string, FakeRecord>>(OBJECT_TYPES.map((t) => [t, new Map()]));
  /** Every request: method, path (no query), status. */
  readonly log: { method: string; path: string; status: number; at: number }[] = [];
  /** Answer the next n requests (of any kind) with a 429 of this policy. */
  forced: { n: number; policy: "TEN_SECONDLY_ROLLING" | "SECONDLY" | "DAILY" } | null = null;
  /** Called before a search page is answered (tests: kill a child process mid-run). */
  onSearch: ((type: string, served: number) => void) | null = null;
  /** Delay every answer by this many ms. */
  delayMs = 0;
  private clockMs = Date.parse("2026-11-02T08:00:00.000Z");
  private readonly windows = { general: [] as number[], search: [] as number[] };
  private server: Server | null = null;
  url = "";
  private searches = 0;
  /**
   * Per type: live records ordered by hs_lastmodifieddate (ms, id), rebuilt after a change. The
   * usual sync query (≥ a modification instant, sorted by it) is answered from it by binary
   * search instead of filtering and sorting every record per page (the bench's million deals).
   */
  private readonly byModified = new Map<ObjectType, { ms: number[]; records: FakeRecord[]; size: number } | null>();

  constructor(private readonly o: FakeHubSpotOptions = {}) {
    this.token = o.token ?? "pat-na1-fake-token-0000";
  }

  /** A strictly increasing modification instant (ISO with ms), as HubSpot stamps writes. */
  stamp(): string {
    this.clockMs += 1 + (this.clockMs % 7);
    return new Date(this.clockMs).toISOString();
  }

  /** Create or change a record: the given properties merge into it; hs_lastmodifieddate moves. */
  put(type: ObjectType, id: string, properties: Record<string, string | null>, at?: string): FakeRecord {
    const map = this.objects.get(type)!;
    const stamp = at ?? this.stamp();
    const prior = map.get(id);
    const record: FakeRecord = prior
      ? { ...prior, properties: { ...prior.properties, ...properties, hs_lastmodifieddate: stamp }, updatedAt: stamp }
      : { id, properties: { hs_object_id: id, createdate: properties.createdate ?? stamp, ...properties, hs_lastmodifieddate: stamp }, archived: false, archivedAt: null, createdAt: stamp, updatedAt: stamp };
    map.set(id, record);
    this.byModified.set(type, null);
    return record;
  }

  archive(type: ObjectType, id: string): void {
    const r = this.objects.get(type)!.get(id);
    if (!r) throw new Error(`no ${type} ${id}`);
    const at = this.stamp();
    r.archived = true;
    r.archivedAt = at;
    r.updatedAt = at;
    this.byModified.set(type, null);
  }

  /** Live records of a type ordered by hs_lastmodifieddate (built once after changes). */
  modifiedOrder(type: ObjectType): { ms: number[]; records: FakeRecord[] } {
    const known = this.byModified.get(type);
    // A test may also remove a record from `objects` directly (purged): then the size differs.
    if (known && known.size === this.objects.get(type)!.size) return known;
    const rows = [...this.objects.get(type)!.values()].filter((r) => !r.archived).map((r) => ({ t: sortValue(r, MODIFIED), r }));
    rows.sort((a, b) => a.t - b.t || Number(a.r.id) - Number(b.r.id));
    const built = { ms: rows.map((x) => x.t), records: rows.map((x) => x.r), size: this.objects.get(type)!.size };
    this.byModified.set(type, built);
    return built;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  count(path: RegExp, status?: number): number {
    return this.log.filter((l) => path.test(l.path) && (status === undefined || l.status === status)).length;
  }

  private now(): number {
    return (this.o.now ?? (() => performance.now()))();
  }

  /** Sliding window: true when the request fits (and counts it). */
  private admit(kind: "general" | "search", limit: number, windowMs: number): boolean {
    if (limit <= 0) return true;
    const t = this.now();
    const w = this.windows[kind];
    while (w.length > 0 && w[0]! <= t - windowMs) w.shift();
    if (w.length >= limit) return false;
    w.push(t);
    return true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: unknown) => {
      this.log.push({ method: req.method ?? "", path: url.pathname, status, at: this.now() });
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json;charset=utf-8", "content-length": Buffer.byteLength(text) });
      res.end(text);
    };
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return send(401, {
        status: "error",
        message: "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
        correlationId: "00000000-0000-0000-0000-000000000000",
        category: "INVALID_AUTHENTICATION",
      });
    }
    const limited = (policy: string) =>
      send(429, {
        status: "error",
        message: policy === "SECONDLY" ? "You have reached your secondly limit." : `You have reached your ${policy.toLowerCase()} limit.`,
        errorType: "RATE_LIMIT",
        correlationId: "00000000-0000-0000-0000-000000000000",
        policyName: policy,
      });
    if (this.forced && this.forced.n > 0) {
      this.forced.n--;
      return limited(this.forced.policy);
    }
    const isSearch = req.method === "POST" && /\/search$/.test(url.pathname);
    if (isSearch && !this.admit("search", this.o.searchPerSecond ?? 0, 1000)) return limited("SECONDLY");
    if (!this.admit("general", this.o.per10s ?? 0, 10_000)) return limited("TEN_SECONDLY_ROLLING");

    const q = url.searchParams;
    const listPage = <T>(items: T[]) => {
      const limit = Math.min(Number(q.get("limit") ?? "10"), 100);
      if (!(limit >= 1)) return send(400, { status: "error", message: "limit must be a positive integer", category: "VALIDATION_ERROR" });
      const offset = Number(q.get("after") ?? "0");
      const slice = items.slice(offset, offset + limit);
      return send(200, { results: slice, ...(offset + limit < items.length ? { paging: { next: { after: String(offset + limit), link: "" } } } : {}) });
    };

    if (req.method === "GET" && url.pathname === "/crm/v3/owners") {
      const archived = q.get("archived") === "true";
      return listPage(
        this.owners
          .filter((o) => o.archived === archived)
          .map((o) => ({ id: o.id, email: o.email, firstName: o.firstName, lastName: o.lastName, userId: Number(o.id) + 1000, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", archived: o.archived, ...(o.teams.length > 0 ? { teams: o.teams } : {}) })),
      );
    }
    if (req.method === "GET" && url.pathname === "/crm/v3/pipelines/deals") {
      return send(200, {
        results: this.pipelines.map((p, i) => ({
          id: p.id,
          label: p.label,
          displayOrder: i,
          archived: false,
          createdAt: "2026-01-01T00:00:00.000Z",
          updatedAt: "2026-01-01T00:00:00.000Z",
          stages: p.stages.map((s, j) => ({ id: s.id, label: s.label, displayOrder: j, archived: false, metadata: { isClosed: String(s.isClosed), probability: s.probability }, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z" })),
        })),
      });
    }
    const objectPath = /^\/crm\/v3\/objects\/([a-z]+)(\/search)?$/.exec(url.pathname);
    const type = objectPath?.[1] as ObjectType | undefined;
    if (!objectPath || !type || !this.objects.has(type)) return send(404, { status: "error", message: `no route ${req.method} ${url.pathname}`, category: "OBJECT_NOT_FOUND" });
    const all = () => [...this.objects.get(type)!.values()];
    if (req.method === "GET" && !objectPath[2]) {
      const archived = q.get("archived") === "true";
      const props = (q.get("properties") ?? "").split(",").filter(Boolean);
      return listPage(all().filter((r) => r.archived === archived).map((r) => view(r, props)));
    }
    if (req.method === "POST" && objectPath[2]) {
      let body: SearchBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as SearchBody;
      } catch {
        return send(400, { status: "error", message: "Invalid input JSON", category: "VALIDATION_ERROR" });
      }
      const limit = body.limit ?? 10;
      if (limit > 200) return send(400, { status: "error", message: "limit must be at most 200", category: "VALIDATION_ERROR" });
      const offset = Number(body.after ?? "0");
      if (offset >= 10_000) {
        return send(400, { status: "error", message: "There was a problem with the request.", category: "VALIDATION_ERROR", context: { after: [`${offset}`] }, subCategory: "SEARCH_PAGING_LIMIT_EXCEEDED" });
      }
      const sort = body.sorts?.[0];
      const only = body.filterGroups?.length === 1 && body.filterGroups[0]!.filters.length === 1 ? body.filterGroups[0]!.filters[0]! : null;
      let matches: FakeRecord[];
      if (only && only.propertyName === MODIFIED && (only.operator === "GTE" || only.operator === "GT") && sort?.propertyName === MODIFIED && sort.direction !== "DESCENDING") {
        // The sync's own query, from the index: same answer as filtering and sorting everything.
        const index = this.modifiedOrder(type);
        const x = numeric(only.value);
        let lo = 0;
        let hi = index.ms.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (only.operator === "GTE" ? index.ms[mid]! < x : index.ms[mid]! <= x) lo = mid + 1;
          else hi = mid;
        }
        matches = index.records.slice(lo + offset, lo + offset + limit);
        this.onSearch?.(type, ++this.searches);
        const total = index.records.length - lo;
        const props = body.properties ?? [];
        return send(200, {
          total,
          results: matches.map((r) => view(r, props)),
          ...(offset + limit < total ? { paging: { next: { after: String(offset + limit) } } } : {}),
        });
      }
      matches = all().filter((r) => !r.archived && matchesGroups(r, body.filterGroups ?? []));
      if (sort) {
        const dir = sort.direction === "DESCENDING" ? -1 : 1;
        matches.sort((a, b) => dir * (sortValue(a, sort.propertyName) - sortValue(b, sort.propertyName)) || Number(a.id) - Number(b.id));
      } else matches.sort((a, b) => Number(a.id) - Number(b.id));
      this.onSearch?.(type, ++this.searches);
      const slice = matches.slice(offset, offset + limit);
      const props = body.properties ?? [];
      return send(200, {
        total: matches.length,
        results: slice.map((r) => view(r, props)),
        ...(offset + limit < matches.length ? { paging: { next: { after: String(offset + limit) } } } : {}),
      });
    }
    return send(405, { status: "error", message: "method not allowed" });
  }
}

type Filter = { propertyName: string; operator: string; value?: string };
type SearchBody = { filterGroups?: { filters: Filter[] }[]; sorts?: { propertyName: string; direction?: string }[]; properties?: string[]; limit?: number; after?: string };

/** A property's value for comparison: dates as ms, numbers as numbers. */
function numeric(v: string | null | undefined): number {
  if (v === null || v === undefined) return NaN;
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v);
}

function sortValue(r: FakeRecord, property: string): number {
  const v = numeric(r.properties[property]);
  return Number.isNaN(v) ? Infinity : v;
}

function matchesGroups(r: FakeRecord, groups: { filters: Filter[] }[]): boolean {
  if (groups.length === 0) return true;
  return groups.some((g) =>
    g.filters.every((f) => {
      const v = numeric(r.properties[f.propertyName]);
      const x = numeric(f.value);
      switch (f.operator) {
        case "GTE": return v >= x;
        case "GT": return v > x;
        case "LTE": return v <= x;
        case "LT": return v < x;
        case "EQ": return v === x;
        default: return false;
      }
    }),
  );
}

/** A record as the API shows it: the asked properties (plus the defaults HubSpot always adds). */
function view(r: FakeRecord, props: readonly string[]) {
  const keys = new Set(["hs_object_id", "createdate", "hs_lastmodifieddate", ...props]);
  const properties: Record<string, string | null> = {};
  for (const k of keys) properties[k] = r.properties[k] ?? null;
  return { id: r.id, properties, createdAt: r.createdAt, updatedAt: r.updatedAt, archived: r.archived, ...(r.archived ? { archivedAt: r.archivedAt } : {}) };
}
