/**
 * A fake Salesforce org on loopback HTTP, following the documented shapes the connector relies on:
 *
 * - `POST /services/oauth2/token` (client credentials, form-encoded, chunked or not) →
 *   `{access_token, instance_url, token_type, issued_at, id, signature}`; a bad client → 400
 *   `{error:"invalid_client"}`.
 * - `GET /services/data/vXX.X/query?q=<SOQL>` and `…/queryAll?q=` (queryAll also returns deleted
 *   records) → `{totalSize, done, records, nextRecordsUrl?}`; `nextRecordsUrl` pages are
 *   `…/query/<locator>-<offset>` over a snapshot taken when the query ran (a queryAll's too, as
 *   Salesforce documents; `…/queryAll/<locator>-<offset>` is answered the same).
 * - `GET …/sobjects/<Object>/describe` → `{name, fields:[{name,type}]}` (CurrencyIsoCode only in a
 *   multi-currency org).
 * - Errors as arrays `[{errorCode, message}]`: 401 INVALID_SESSION_ID (expired or unknown token),
 *   403 REQUEST_LIMIT_EXCEEDED (after `requestLimit` API calls), 400 INVALID_FIELD (a field the
 *   object does not have, e.g. CurrencyIsoCode in a single-currency org), 400 MALFORMED_QUERY
 *   (anything outside the small SOQL subset below).
 *
 * SOQL subset (what the connector sends): `SELECT f, g, Rel.Field FROM Obj [WHERE c [AND c]…]
 * [ORDER BY f [ASC]]` where c is `Field > <datetime literal>` / `Field >= …` / `Field = true|false`.
 * Datetime literals are unquoted ISO 8601 (`2026-11-01T00:00:00Z`, `…T00:00:00.000+0000`) and
 * compared at millisecond precision, as Salesforce stores SystemModstamp.
 *
 * Records are stored as plain JSON with Salesforce's datetime format (`2026-11-01T10:00:00.000+0000`);
 * every change stamps SystemModstamp with the fake's clock (`now`, settable, advancing 1 ms per
 * change unless pinned).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";

export type SfValue = string | number | boolean | null | { Name: string | null };
export type SfRecord = { Id: string; IsDeleted?: boolean; SystemModstamp?: string } & Record<string, SfValue | undefined>;

/** The fields each object has (relationship `Account.Name` is allowed on Opportunity). */
const OBJECT_FIELDS: Record<string, readonly string[]> = {
  User: ["Id", "Email", "Name", "IsActive", "ManagerId", "UserRoleId", "SystemModstamp"],
  UserRole: ["Id", "Name", "ParentRoleId", "SystemModstamp"],
  Opportunity: [
    "Id", "OwnerId", "AccountId", "Amount", "StageName", "IsClosed", "IsWon", "CreatedDate", "CloseDate",
    "LeadSource", "Type", "CampaignId", "SystemModstamp", "IsDeleted",
  ],
  Task: ["Id", "OwnerId", "WhatId", "TaskSubtype", "ActivityDate", "CreatedDate", "SystemModstamp", "IsDeleted"],
  Event: ["Id", "OwnerId", "WhatId", "ActivityDate", "ActivityDateTime", "CreatedDate", "SystemModstamp", "IsDeleted"],
  Case: ["Id", "OwnerId", "CreatedDate", "ClosedDate", "IsClosed", "SystemModstamp", "IsDeleted"],
  Campaign: [
    "Id", "Name", "Type", "StartDate", "EndDate", "ActualCost", "NumberOfLeads", "NumberOfConvertedLeads",
    "AmountWonOpportunities", "OwnerId", "CreatedDate", "SystemModstamp", "IsDeleted",
  ],
};
const RELATIONSHIPS: Record<string, Record<string, string>> = { Opportunity: { Account: "AccountId" } };
/** Objects that carry CurrencyIsoCode in a multi-currency org. */
const CURRENCY_OBJECTS = new Set(["Opportunity", "Campaign", "Case"]);

export type FakeSalesforceOptions = {
  clientId?: string;
  clientSecret?: string;
  multiCurrency?: boolean;
  /** Records per query page (Salesforce: up to 2,000). */
  pageSize?: number;
  /** Custom Case fields (first response, CSAT) the org has. */
  caseFields?: readonly string[];
};

type Condition = { field: string; op: ">" | ">=" | "="; value: number | boolean };
type ParsedQuery = { object: string; fields: string[]; where: Condition[]; orderBy: string | null };

/** Salesforce's datetime format: `2026-11-01T10:00:00.000+0000`. */
export function sfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

function parseSfInstant(s: string): number {
  const iso = s.replace(/([+-]\d\d)(\d\d)$/, "$1:$2");
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not a datetime: ${s}`);
  return t;
}

class SoqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The SOQL subset above; throws SoqlError(MALFORMED_QUERY | INVALID_FIELD | INVALID_TYPE). */
export function parseSoql(q: string, fieldsOf: (object: string) => readonly string[] | undefined): ParsedQuery {
  const m = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(\w+)(?:\s+ASC)?)?\s*$/is.exec(q);
  if (!m) throw new SoqlError("MALFORMED_QUERY", `unexpected query: ${q}`);
  const object = m[2]!;
  const known = fieldsOf(object);
  if (!known) throw new SoqlError("INVALID_TYPE", `sObject type '${object}' is not supported.`);
  const fields = m[1]!.split(",").map((f) => f.trim());
  for (const f of fields) {
    if (/^FIELDS\(/i.test(f) || /\(/.test(f)) throw new SoqlError("MALFORMED_QUERY", `functions are not supported by this fake: ${f}`);
    const rel = /^(\w+)\.(\w+)$/.exec(f);
    if (rel) {
      if (!RELATIONSHIPS[object]?.[rel[1]!] || rel[2] !== "Name") throw new SoqlError("INVALID_FIELD", `No such column '${f}' on entity '${object}'.`);
    } else if (!known.includes(f)) {
      throw new SoqlError("INVALID_FIELD", `\n${fields.join(", ")}\n ^\nERROR at Row:1:Column:1\nNo such column '${f}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
    }
  }
  const where: Condition[] = [];
  if (m[3]) {
    for (const part of m[3].split(/\s+AND\s+/i)) {
      const c = /^\s*(\w+)\s*(>=|>|=)\s*(\S+)\s*$/.exec(part);
      if (!c) throw new SoqlError("MALFORMED_QUERY", `unexpected condition: ${part}`);
      const [, field, op, literal] = c as unknown as [string, string, Condition["op"], string];
      if (!known.includes(field)) throw new SoqlError("INVALID_FIELD", `No such column '${field}' on entity '${object}'.`);
      if (literal === "true" || literal === "false") {
        if (op !== "=") throw new SoqlError("MALFORMED_QUERY", `booleans compare with =: ${part}`);
        where.push({ field, op, value: literal === "true" });
      } else if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/.test(literal)) {
        where.push({ field, op, value: parseSfInstant(literal) });
      } else {
        throw new SoqlError("MALFORMED_QUERY", `value of filter criterion for field '${field}' must be of type dateTime and should not be enclosed in quotes: ${literal}`);
      }
    }
  }
  const orderBy = m[4] ?? null;
  if (orderBy && !known.includes(orderBy)) throw new SoqlError("INVALID_FIELD", `No such column '${orderBy}' on entity '${object}'.`);
  return { object, fields, where, orderBy };
}

export class FakeSalesforce {
  readonly clientId: string;
  readonly clientSecret: string;
  multiCurrency: boolean;
  pageSize: number;
  readonly caseFields: readonly string[];
  /** The org's records by object, by Id (deleted ones stay, IsDeleted = true, as in the recycle bin). */
  readonly records = new Map<string, Map<string, SfRecord>>();
  /** Every request, for assertions: method, path (without query), SOQL when any, status answered. */
  readonly log: { method: string; path: string; soql?: string; status: number; body?: string }[] = [];
  /** API calls (everything but the token endpoint) after which each answers 403 REQUEST_LIMIT_EXCEEDED. */
  requestLimit = Infinity;
  /** The next N API calls answer 401 INVALID_SESSION_ID and revoke every token issued so far. */
  expireTokensAfter = Infinity;
  /** The clock stamping changes (ms since epoch). */
  now = Date.parse("2026-11-01T00:00:00Z");
  /** When false, `now` does not advance by itself (several changes at one stamp). */
  ticking = true;

  private readonly tokens = new Set<string>();
  /** Called before a query page is answered (tests: kill a child process mid-run). */
  onPage: ((page: { object: string; all: boolean; offset: number }) => void) | null = null;

  private readonly cursors = new Map<string, SfRecord[]>();
  private readonly locators = new Map<string, { object: string; all: boolean }>();
  private apiCalls = 0;
  private server: Server | null = null;
  private idCounter = 0;
  url = "";

  constructor(o: FakeSalesforceOptions = {}) {
    this.clientId = o.clientId ?? "fake-client-id";
    this.clientSecret = o.clientSecret ?? "fake-client-secret";
    this.multiCurrency = o.multiCurrency ?? false;
    this.pageSize = o.pageSize ?? 2000;
    this.caseFields = o.caseFields ?? [];
    for (const object of Object.keys(OBJECT_FIELDS)) this.records.set(object, new Map());
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify([{ errorCode: "UNKNOWN_EXCEPTION", message: String(e) }]));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
  }

  /** A new 18-character-looking Id with the object's key prefix (005 User, 006 Opportunity, …). */
  newId(object: string): string {
    const prefix = { User: "005", UserRole: "00E", Opportunity: "006", Task: "00T", Event: "00U", Case: "500", Campaign: "701", Account: "001" }[object] ?? "a00";
    this.idCounter++;
    return `${prefix}${String(this.idCounter).padStart(12, "0")}AAA`;
  }

  private stamp(): string {
    const s = sfDateTime(this.now);
    if (this.ticking) this.now += 1;
    return s;
  }

  fieldsOf(object: string): readonly string[] | undefined {
    const base = OBJECT_FIELDS[object];
    if (!base) return undefined;
    const extra = [...(this.multiCurrency && CURRENCY_OBJECTS.has(object) ? ["CurrencyIsoCode"] : []), ...(object === "Case" ? this.caseFields : [])];
    return [...base, ...extra];
  }

  /** Create or change a record (fields merged), stamping SystemModstamp; returns it. */
  upsert(object: string, fields: Partial<SfRecord> & { Id?: string }): SfRecord {
    const table = this.records.get(object);
    if (!table) throw new Error(`unknown object ${object}`);
    const id = fields.Id ?? this.newId(object);
    const prior = table.get(id);
    const rec: SfRecord = { ...(prior ?? {}), ...fields, Id: id, SystemModstamp: this.stamp() } as SfRecord;
    if (object !== "UserRole" && object !== "User" && rec.IsDeleted === undefined) rec.IsDeleted = false;
    table.set(id, rec);
    return rec;
  }

  /** Move a record to the recycle bin (queryAll still returns it, with IsDeleted = true). */
  remove(object: string, id: string): void {
    const rec = this.records.get(object)?.get(id);
    if (!rec) throw new Error(`no ${object} ${id}`);
    this.records.get(object)!.set(id, { ...rec, IsDeleted: true, SystemModstamp: this.stamp() });
  }

  live(object: string): SfRecord[] {
    return [...this.records.get(object)!.values()].filter((r) => !r.IsDeleted);
  }

  /** Accounts are only read through Opportunity's Account.Name. */
  readonly accounts = new Map<string, string>();

  private send(res: ServerResponse, req: IncomingMessage, status: number, body: unknown, soql?: string): void {
    const text = JSON.stringify(body);
    this.log.push({ method: req.method ?? "", path: (req.url ?? "").split("?")[0]!, soql, status, body: status >= 400 ? text : undefined });
    res.writeHead(status, { "content-type": "application/json;charset=UTF-8" });
    res.end(text);
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    if (url.pathname === "/services/oauth2/token") {
      if (req.method !== "POST") return this.send(res, req, 405, { error: "invalid_request" });
      if (!/application\/x-www-form-urlencoded/.test(req.headers["content-type"] ?? "")) {
        return this.send(res, req, 400, { error: "invalid_request", error_description: "must use application/x-www-form-urlencoded" });
      }
      const form = new URLSearchParams(await this.readBody(req));
      if (form.get("grant_type") !== "client_credentials") return this.send(res, req, 400, { error: "unsupported_grant_type", error_description: "grant type not supported" });
      if (form.get("client_id") !== this.clientId || form.get("client_secret") !== this.clientSecret) {
        return this.send(res, req, 400, { error: "invalid_client", error_description: "invalid client credentials" });
      }
      const token = `00D000000000001!${randomBytes(16).toString("hex")}`;
      this.tokens.add(token);
      return this.send(res, req, 200, {
        access_token: token,
        signature: randomBytes(8).toString("base64"),
        scope: "api",
        instance_url: this.url,
        id: `${this.url}/id/00D000000000001AAA/005000000000001AAA`,
        token_type: "Bearer",
        issued_at: String(Date.now()),
      });
    }
    const m = /^\/services\/data\/v(\d+\.\d)\/(.*)$/.exec(url.pathname);
    if (!m) return this.send(res, req, 404, [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]);
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    if (this.expireTokensAfter <= 0) {
      this.tokens.clear();
      this.expireTokensAfter = Infinity;
    }
    if (!auth || !this.tokens.has(auth[1]!)) return this.send(res, req, 401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    this.expireTokensAfter--;
    this.apiCalls++;
    if (this.apiCalls > this.requestLimit) {
      return this.send(res, req, 403, [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]);
    }
    const rest = m[2]!;
    const describe = /^sobjects\/(\w+)\/describe\/?$/.exec(rest);
    if (describe) {
      const fields = this.fieldsOf(describe[1]!);
      if (!fields) return this.send(res, req, 404, [{ errorCode: "NOT_FOUND", message: `The requested resource does not exist` }]);
      return this.send(res, req, 200, { name: describe[1], fields: fields.map((name) => ({ name, type: name === "CurrencyIsoCode" ? "picklist" : "string" })) });
    }
    const more = /^query(?:All)?\/([0-9A-Za-z]+)-(\d+)$/.exec(rest);
    if (more) {
      const snapshot = this.cursors.get(more[1]!);
      if (!snapshot) return this.send(res, req, 400, [{ errorCode: "INVALID_QUERY_LOCATOR", message: "invalid query locator" }]);
      return this.page(req, res, more[1]!, snapshot, Number(more[2]), m[1]!);
    }
    if (rest === "query" || rest === "queryAll") {
      const q = url.searchParams.get("q") ?? "";
      let parsed: ParsedQuery;
      try {
        parsed = parseSoql(q, (o) => this.fieldsOf(o));
      } catch (e) {
        if (e instanceof SoqlError) return this.send(res, req, 400, [{ message: e.message, errorCode: e.code }], q);
        throw e;
      }
      let rows = [...this.records.get(parsed.object)!.values()];
      if (rest === "query") rows = rows.filter((r) => !r.IsDeleted);
      for (const c of parsed.where) {
        rows = rows.filter((r) => {
          const v = r[c.field];
          if (typeof c.value === "boolean") return (v ?? false) === c.value;
          if (typeof v !== "string") return false;
          const t = parseSfInstant(v);
          return c.op === ">" ? t > c.value : t >= c.value;
        });
      }
      if (parsed.orderBy) {
        const f = parsed.orderBy;
        rows.sort((a, b) => String(a[f] ?? "").localeCompare(String(b[f] ?? "")) || a.Id.localeCompare(b.Id));
      }
      const projected = rows.map((r) => this.project(parsed, r, m[1]!));
      const locator = `01g${randomBytes(6).toString("hex")}`;
      this.cursors.set(locator, projected);
      this.locators.set(locator, { object: parsed.object, all: rest === "queryAll" });
      return this.page(req, res, locator, projected, 0, m[1]!, q);
    }
    return this.send(res, req, 404, [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]);
  }

  private project(q: ParsedQuery, r: SfRecord, version: string): SfRecord {
    const out: Record<string, unknown> = { attributes: { type: q.object, url: `/services/data/v${version}/sobjects/${q.object}/${r.Id}` } };
    for (const f of q.fields) {
      const rel = /^(\w+)\.(\w+)$/.exec(f);
      if (rel) {
        const id = r[RELATIONSHIPS[q.object]![rel[1]!]!] as string | null | undefined;
        const name = id ? this.accounts.get(id) : undefined;
        out[rel[1]!] = name === undefined ? null : { attributes: { type: "Account", url: `/services/data/v${version}/sobjects/Account/${id}` }, Name: name };
      } else {
        out[f] = r[f] ?? null;
      }
    }
    return out as SfRecord;
  }

  private page(req: IncomingMessage, res: ServerResponse, locator: string, rows: SfRecord[], offset: number, version: string, soql?: string): void {
    const end = Math.min(rows.length, offset + this.pageSize);
    const done = end >= rows.length;
    const what = this.locators.get(locator);
    if (what) this.onPage?.({ ...what, offset });
    if (done) {
      this.cursors.delete(locator);
      this.locators.delete(locator);
    }
    this.send(
      res,
      req,
      200,
      { totalSize: rows.length, done, records: rows.slice(offset, end), ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${end}` }) },
      soql,
    );
  }
}
