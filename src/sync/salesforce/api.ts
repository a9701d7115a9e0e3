/**
 * The Salesforce REST calls the connector makes, and nothing else (so an admin knows what to
 * grant): the OAuth 2.0 client-credentials token, `query` / `queryAll` pages followed through
 * `nextRecordsUrl`, and `sobjects/<Object>/describe`.
 *
 * Plain fetch rather than jsforce: jsforce 3 would do the same requests (`conn.query(soql,
 * { scanAll: true })` is queryAll) but retries and refreshes in ways we must control: a token is
 * refreshed once on 401 INVALID_SESSION_ID and the request retried; REQUEST_LIMIT_EXCEEDED stops
 * the run with a clear error (the org's 24-hour API allowance is spent; retrying spends more).
 * The access token and client secret never appear in errors or logs.
 */
import { z } from "zod";
import { SourceError } from "../source.ts";
import type { SalesforceConfig } from "./config.ts";

/** A failure a person can act on; `code` is Salesforce's errorCode when it answered with one. */
export class SalesforceError extends SourceError {
  constructor(
    message: string,
    status?: number,
    readonly code?: string,
  ) {
    super(message, status);
    this.name = "SalesforceError";
  }
}

const TokenAnswer = z.object({ access_token: z.string().min(1), instance_url: z.url() });
const ErrorAnswer = z.array(z.object({ errorCode: z.string(), message: z.string().optional() })).min(1);
const QueryAnswer = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  records: z.array(z.record(z.string(), z.unknown())),
  nextRecordsUrl: z.string().optional(),
});
const DescribeAnswer = z.object({ name: z.string(), fields: z.array(z.object({ name: z.string() })) });

export type SfRow = Record<string, unknown>;
export type QueryPage = { records: SfRow[]; totalSize: number; done: boolean };

export type SalesforceApiOptions = {
  config: Pick<SalesforceConfig, "SALESFORCE_LOGIN_URL" | "SALESFORCE_CLIENT_ID" | "SALESFORCE_CLIENT_SECRET" | "SALESFORCE_API_VERSION">;
  /**
   * How a request is sent (the sync core's paced, retrying fetch in production; plain fetch in
   * tests). It handles 5xx and network errors; this class handles Salesforce's own answers.
   */
  fetch?: (url: string, init: RequestInit, what: string) => Promise<Response>;
  signal?: AbortSignal;
  /** Told each time a token is fetched (counting, logging without the token). */
  onToken?: (reason: "first" | "expired") => void;
};

export class SalesforceApi {
  private session: { token: string; instanceUrl: string } | null = null;
  private readonly send: (url: string, init: RequestInit, what: string) => Promise<Response>;

  constructor(private readonly o: SalesforceApiOptions) {
    this.send = o.fetch ?? ((url, init) => fetch(url, init));
  }

  get version(): string {
    return this.o.config.SALESFORCE_API_VERSION;
  }

  /** POST /services/oauth2/token with grant_type=client_credentials. */
  private async authenticate(reason: "first" | "expired"): Promise<{ token: string; instanceUrl: string }> {
    const c = this.o.config;
    const body = new URLSearchParams({ grant_type: "client_credentials", client_id: c.SALESFORCE_CLIENT_ID, client_secret: c.SALESFORCE_CLIENT_SECRET });
    const res = await this.send(`${c.SALESFORCE_LOGIN_URL}/services/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body: body.toString(), signal: this.o.signal }, "POST /services/oauth2/token");
    const text = await res.text();
    if (!res.ok) {
      let detail = `HTTP ${res.status}`;
      try {
        const j = JSON.parse(text) as { error?: string; error_description?: string };
        if (j.error) detail = `${j.error}${j.error_description ? `: ${j.error_description}` : ""}`;
      } catch {
        /* not JSON */
      }
      throw new SalesforceError(
        `Salesforce refused the client-credentials login at ${c.SALESFORCE_LOGIN_URL} (${detail}). Check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET, that the connected app enables the client credentials flow with a run-as user, and that SALESFORCE_LOGIN_URL is your My Domain URL.`,
        res.status,
      );
    }
    const parsed = TokenAnswer.safeParse(safeJson(text));
    if (!parsed.success) throw new SalesforceError(`Salesforce's token answer has no access_token and instance_url (HTTP ${res.status})`, res.status);
    this.o.onToken?.(reason);
    this.session = { token: parsed.data.access_token, instanceUrl: parsed.data.instance_url.replace(/\/+$/, "") };
    return this.session;
  }

  /** GET a path of the instance (`/services/data/v60.0/…`), refreshing the token once on INVALID_SESSION_ID. */
  private async get(path: string, what: string): Promise<unknown> {
    let session = this.session ?? (await this.authenticate("first"));
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(`${session.instanceUrl}${path}`, { method: "GET", headers: { authorization: `Bearer ${session.token}`, accept: "application/json" }, signal: this.o.signal }, what);
      const text = await res.text();
      if (res.ok) return safeJson(text);
      const errors = ErrorAnswer.safeParse(safeJson(text));
      const code = errors.success ? errors.data[0]!.errorCode : undefined;
      const message = errors.success ? (errors.data[0]!.message ?? "") : text.slice(0, 200);
      if (res.status === 401 && code === "INVALID_SESSION_ID" && attempt === 0) {
        session = await this.authenticate("expired");
        continue;
      }
      if (code === "REQUEST_LIMIT_EXCEEDED") {
        throw new SalesforceError(
          `Salesforce's API request limit for this org is used up (REQUEST_LIMIT_EXCEEDED on ${what}). The sync stopped; what was read so far is kept and the next run continues from there once the 24-hour allowance frees up (Setup → Company Information shows API usage).`,
          res.status,
          code,
        );
      }
      if (res.status === 401) {
        throw new SalesforceError(`Salesforce rejected a freshly issued token (${code ?? `HTTP ${res.status}`}: ${message}) on ${what}. Check the connected app's run-as user and its OAuth policies.`, res.status, code);
      }
      throw new SalesforceError(`Salesforce answered ${code ?? `HTTP ${res.status}`} to ${what}: ${message}`, res.status, code);
    }
  }

  /** Field names of an object (`sobjects/Opportunity/describe`). */
  async describeFields(object: string): Promise<Set<string>> {
    const raw = await this.get(`/services/data/v${this.version}/sobjects/${encodeURIComponent(object)}/describe`, `describe ${object}`);
    const d = DescribeAnswer.safeParse(raw);
    if (!d.success) throw new SalesforceError(`Salesforce's describe of ${object} has no field list`);
    return new Set(d.data.fields.map((f) => f.name));
  }

  /**
   * Pages of a SOQL query (`all`: queryAll, which includes deleted and archived records), following
   * nextRecordsUrl until done.
   */
  async *query(soql: string, all = false): AsyncGenerator<QueryPage> {
    const endpoint = all ? "queryAll" : "query";
    const object = /\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? "?";
    const what = `${endpoint} ${object}`;
    let path: string | undefined = `/services/data/v${this.version}/${endpoint}?q=${encodeURIComponent(soql)}`;
    while (path) {
      const parsed = QueryAnswer.safeParse(await this.get(path, what));
      if (!parsed.success) throw new SalesforceError(`Salesforce's answer to ${what} is not a query result`);
      yield { records: parsed.data.records, totalSize: parsed.data.totalSize, done: parsed.data.done };
      if (!parsed.data.done && !parsed.data.nextRecordsUrl) throw new SalesforceError(`Salesforce's answer to ${what} is not done but has no nextRecordsUrl`);
      path = parsed.data.done ? undefined : parsed.data.nextRecordsUrl;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
