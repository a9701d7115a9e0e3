// A small fake of Slack's side, on loopback: the Web API methods the adapter calls, the upload
// URL of the files.uploadV2 flow, and response_url receivers. It records every call and, like
// Slack, refuses blocks that break Block Kit limits or show a file its readers cannot see.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { blockKitProblems, slackFileIds } from "./block-kit.ts";

/** `token` is the kind of token the call carried (xoxb, xapp), never the token. */
export type ApiCall = { method: string; args: Record<string, unknown>; status: number; at: number; token?: string };
export type Response = { id: number; user: string; body: Record<string, unknown>; status: number; at: number };
/**
 * A file of the files.uploadV2 flow: `filename` and `length` as files.getUploadURLExternal was
 * told, `bytes` as POSTed to the upload URL, `title`/`channel`/`threadTs`/`initialComment` as
 * files.completeUploadExternal shared it.
 */
type File = { id: string; uploaded: boolean; filename?: string; length?: number; title?: string; initialComment?: string; channel?: string; threadTs?: string; bytes?: Buffer };

export type FakeSlack = {
  apiUrl: string;
  calls: ApiCall[];
  responses: Response[];
  files: Map<string, File>;
  /** Users users.info knows: id → email. */
  emails: Map<string, string>;
  /** A new response_url for an interaction by `user`. */
  responseUrl(user: string): string;
  /** The next `times` calls of `method` answer 429 with Retry-After. */
  rateLimit(method: string, times: number, retryAfterSeconds: number): void;
  /**
   * Slack's posting limits, enforced with 429 + Retry-After: at most one chat.postMessage per
   * channel per `perChannelMs`, and `workspacePerSec` per rolling second across the workspace.
   */
  limitPosts(limits: { perChannelMs: number; workspacePerSec: number } | undefined): void;
  /** POSTs to upload URLs answer 500 while set. */
  failUploads: boolean;
  /** Calls of `method` (or "respond" for response_url posts) are answered only after this many ms; recorded on arrival in `arrived`. */
  delays: Map<string, number>;
  /** Methods (and "respond") in the order their requests arrived, before any delay. */
  arrived: string[];
  /** Calls of `method` answer { ok: false, error } while set. */
  fail: Map<string, string>;
  callsOf(method: string): ApiCall[];
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
};

const DM = (user: string) => `D${user}`;

function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    out[k] = /^[[{]/.test(v) ? (() => { try { return JSON.parse(v); } catch { return v; } })() : v;
  }
  return out;
}

/**
 * The file's bytes in a POST to the upload URL: Slack takes raw bytes or a multipart form (what
 * @slack/web-api sends: one part holding the file). Undefined when a form has no part.
 */
export function uploadedBytes(raw: Buffer, contentType: string | undefined): Buffer | undefined {
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1];
  if (!boundary) return raw;
  const delimiter = Buffer.from(`--${boundary}`);
  const start = raw.indexOf(delimiter);
  if (start < 0) return undefined;
  const headersEnd = raw.indexOf("\r\n\r\n", start);
  if (headersEnd < 0) return undefined;
  const end = raw.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
  return end < 0 ? undefined : raw.subarray(headersEnd + 4, end);
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: ApiCall[] = [];
  const responses: Response[] = [];
  const files = new Map<string, File>();
  const emails = new Map<string, string>();
  const limits = new Map<string, { times: number; retryAfter: number }>();
  const responseUsers = new Map<number, string>();
  const fail = new Map<string, string>();
  let nextResponse = 0;
  let ts = 1_700_000_000;
  let base = "";

  /** Like Slack: a slack_file must be an uploaded file shared where the message's readers are. */
  const fileProblems = (blocks: unknown, visibleIn: (f: File) => boolean): string[] =>
    slackFileIds(blocks).flatMap((id) => {
      const f = files.get(id);
      return !f || !f.uploaded || !f.channel ? [`invalid slack file ${id}`] : visibleIn(f) ? [] : [`slack file ${id} is not shared where this message is`];
    });

  let postLimits: { perChannelMs: number; workspacePerSec: number } | undefined;
  const lastPost = new Map<string, number>();
  const recentPosts: number[] = [];
  const overPostLimit = (channel: string): boolean => {
    if (!postLimits) return false;
    const now = performance.now();
    while (recentPosts.length > 0 && recentPosts[0]! <= now - 1000) recentPosts.shift();
    if (recentPosts.length >= postLimits.workspacePerSec) return true;
    const last = lastPost.get(channel);
    if (last !== undefined && now - last < postLimits.perChannelMs) return true;
    recentPosts.push(now);
    lastPost.set(channel, now);
    return false;
  };

  const api = (method: string, args: Record<string, unknown>): { status: number; body: object; headers?: Record<string, string> } => {
    if (method === "chat.postMessage" && overPostLimit(String(args.channel))) {
      return { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "1" } };
    }
    const limited = limits.get(method);
    if (limited && limited.times > 0) {
      limited.times--;
      return { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": String(limited.retryAfter) } };
    }
    const failure = fail.get(method);
    if (failure) return { status: 200, body: { ok: false, error: failure } };
    const ok = (o: object = {}) => ({ status: 200, body: { ok: true, ...o } });
    const err = (error: string, more: object = {}) => ({ status: 200, body: { ok: false, error, ...more } });
    switch (method) {
      case "auth.test":
        return ok({ user_id: "UBOT", bot_id: "BBOT", team_id: "T0001", team: "Acme", url: "https://acme.slack.test/" });
      case "users.info": {
        const email = emails.get(String(args.user));
        return email ? ok({ user: { id: args.user, profile: { email } } }) : err("user_not_found");
      }
      case "conversations.open":
        return ok({ channel: { id: DM(String(args.users)) } });
      case "chat.postMessage":
      case "chat.update": {
        const channel = String(args.channel);
        const problems = [...blockKitProblems(args.blocks), ...fileProblems(args.blocks, (f) => f.channel === channel)];
        if (problems.length) return err("invalid_blocks", { errors: problems });
        if (!String(args.channel).match(/^[CDG]/)) return err("channel_not_found");
        return ok({ channel, ts: method === "chat.update" ? args.ts : `${++ts}.000100` });
      }
      case "views.publish": {
        const view = args.view as { type?: string; blocks?: unknown };
        const problems = view?.type === "home" ? blockKitProblems(view.blocks, { maxBlocks: 100, maxChars: 24_000 }) : ["view.type is not home"];
        return problems.length ? err("invalid_arguments", { errors: problems }) : ok({ view: { id: "V1" } });
      }
      case "files.getUploadURLExternal": {
        if (!args.filename || !(Number(args.length) > 0)) return err("invalid_arguments");
        const id = "F" + randomBytes(6).toString("hex").toUpperCase();
        files.set(id, { id, uploaded: false, filename: String(args.filename), length: Number(args.length) });
        return ok({ upload_url: `${base}/upload/${id}`, file_id: id });
      }
      case "files.completeUploadExternal": {
        const list = args.files as { id: string; title?: string }[];
        for (const f of list ?? []) {
          const file = files.get(f.id);
          if (!file?.uploaded) return err("file_not_found");
          if (args.channel_id) file.channel = String(args.channel_id);
          if (args.thread_ts) file.threadTs = String(args.thread_ts);
          if (f.title) file.title = f.title;
          if (args.initial_comment) file.initialComment = String(args.initial_comment);
        }
        return ok({ files: (list ?? []).map((f) => ({ id: f.id, title: f.title ?? "" })) });
      }
      default:
        return err("unknown_method");
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const what = path.startsWith("/api/") ? path.slice("/api/".length) : path.startsWith("/respond/") ? "respond" : path;
      fake.arrived.push(what);
      const delay = fake.delays.get(what);
      if (delay) setTimeout(answer, delay);
      else answer();
    });
    const answer = () => {
      const raw = Buffer.concat(chunks);
      const path = (req.url ?? "/").split("?")[0]!;
      if (path.startsWith("/api/")) {
        const method = path.slice("/api/".length);
        const args = parseForm(raw.toString("utf8"));
        const r = api(method, args);
        const token = /^Bearer (xox[a-z]|xapp)-/.exec(req.headers.authorization ?? "")?.[1];
        calls.push({ method, args, status: r.status, at: performance.now(), ...(token ? { token } : {}) });
        res.writeHead(r.status, { "content-type": "application/json", ...r.headers }).end(JSON.stringify(r.body));
        return;
      }
      if (path.startsWith("/upload/")) {
        const file = files.get(path.slice("/upload/".length));
        calls.push({ method: "upload", args: { file: file?.id, bytes: raw.length }, status: fake.failUploads || !file ? 500 : 200, at: performance.now() });
        if (fake.failUploads || !file) return void res.writeHead(500).end("upload failed");
        const bytes = uploadedBytes(raw, req.headers["content-type"]);
        // The bytes must be as many as files.getUploadURLExternal was told, or Slack keeps a broken file.
        if (!bytes || (file.length !== undefined && bytes.length !== file.length)) return void res.writeHead(400).end("length mismatch");
        file.uploaded = true;
        file.bytes = bytes;
        res.writeHead(200).end(`OK - ${bytes.length}`);
        return;
      }
      if (path.startsWith("/respond/")) {
        const id = Number(path.slice("/respond/".length));
        const user = responseUsers.get(id) ?? "";
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
        } catch {
          body = { unparsable: raw.toString("utf8") };
        }
        // An ephemeral message shows files only its reader may see (here: shared into their DM, or in the channel for visible posts).
        const problems = [...blockKitProblems(body.blocks ?? []), ...fileProblems(body.blocks ?? [], (f) => f.channel === DM(user))];
        const status = problems.length ? 400 : 200;
        responses.push({ id, user, body, status, at: performance.now() });
        res.writeHead(status).end(problems.length ? "invalid_blocks" : "ok");
        return;
      }
      res.writeHead(404).end();
    };
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeSlack = {
    apiUrl: `${base}/api/`,
    calls,
    responses,
    files,
    emails,
    failUploads: false,
    fail,
    delays: new Map(),
    arrived: [],
    responseUrl(user) {
      const id = ++nextResponse;
      responseUsers.set(id, user);
      return `${base}/respond/${id}`;
    },
    limitPosts(l) {
      postLimits = l;
    },
    rateLimit(method, times, retryAfter) {
      limits.set(method, { times, retryAfter });
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    async waitFor(probe, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = probe();
        if (v) return v as never;
        if (Date.now() > end) throw new Error("fake Slack: timed out waiting");
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
