// The few Slack calls the adapter makes, each with bounded rate-limit retries and logged failures.
import type { types, webApi } from "@slack/bolt";
import { withRateLimit, type RetryDeps } from "./retry.ts";

export type Message = { text: string; blocks: types.KnownBlock[] };

export type SlackApi = {
  postMessage(channel: string, message: Message): Promise<{ ts: string; channel: string }>;
  updateMessage(channel: string, ts: string, message: Message): Promise<void>;
  publishHome(userId: string, blocks: types.KnownBlock[]): Promise<void>;
  /** The user's email (scope users:read.email), or undefined when Slack has none for them. */
  userEmail(userId: string): Promise<string | undefined>;
  /** The id of the bot's direct-message channel with a user (scope im:write). */
  openDm(userId: string): Promise<string>;
  /** files.uploadV2 flow (getUploadURLExternal → POST bytes → completeUploadExternal), shared into `channel`. */
  uploadPng(args: { channel: string; threadTs?: string; png: Buffer; filename: string; title: string; altText: string }): Promise<string>;
  /** The same flow for any file (an export), shared into `channel` with an optional message. */
  uploadFile(args: { channel: string; bytes: Buffer; filename: string; title: string; initialComment?: string }): Promise<string>;
};

export function slackApi(client: webApi.WebClient, deps: RetryDeps): SlackApi {
  const call = <T>(method: string, fn: () => Promise<T>) => withRateLimit(method, fn, deps);
  return {
    async postMessage(channel, message) {
      const r = await call("chat.postMessage", () => client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false }));
      return { ts: String(r.ts), channel: String(r.channel ?? channel) };
    },
    async updateMessage(channel, ts, message) {
      await call("chat.update", () => client.chat.update({ channel, ts, text: message.text, blocks: message.blocks }));
    },
    async publishHome(userId, blocks) {
      await call("views.publish", () => client.views.publish({ user_id: userId, view: { type: "home", blocks } }));
    },
    async userEmail(userId) {
      const r = await call("users.info", () => client.users.info({ user: userId }));
      const email = r.user?.profile?.email;
      return typeof email === "string" && email.includes("@") ? email : undefined;
    },
    async openDm(userId) {
      const r = await call("conversations.open", () => client.conversations.open({ users: userId }));
      const id = r.channel?.id;
      if (!id) throw new Error("conversations.open returned no channel");
      return id;
    },
    async uploadPng({ channel, threadTs, png, filename, title, altText }) {
      const r = await call("files.uploadV2", () =>
        client.filesUploadV2({
          channel_id: channel,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          file_uploads: [{ file: png, filename, title, alt_text: altText }],
        }),
      );
      const id = fileIdOf(r);
      if (!id) throw new Error("files.completeUploadExternal returned no file id");
      return id;
    },
    async uploadFile({ channel, bytes, filename, title, initialComment }) {
      const r = await call("files.uploadV2", () =>
        client.filesUploadV2({
          channel_id: channel,
          ...(initialComment ? { initial_comment: initialComment } : {}),
          file_uploads: [{ file: bytes, filename, title }],
        }),
      );
      const id = fileIdOf(r);
      if (!id) throw new Error("files.completeUploadExternal returned no file id");
      return id;
    },
  };
}

/** filesUploadV2 answers `{ files: [completeUploadExternal result, …] }`; each has `files: [{ id }]`. */
function fileIdOf(result: unknown): string | undefined {
  const outer = (result as { files?: { files?: { id?: unknown }[] }[] }).files;
  const id = outer?.[0]?.files?.[0]?.id;
  return typeof id === "string" ? id : undefined;
}

/** An interaction's response_url that passed `responseUrls` (only those are ever posted to). */
export type ResponseUrl = string & { readonly __checked: "response_url" };

/**
 * Where the bot may post answers: Slack's `https://hooks.slack.com/…`, or the origin of the
 * configured SLACK_API_URL (tests and proxies). A signed request is still only a request: a
 * response_url pointing elsewhere (an internal address) is refused, so it cannot aim the bot.
 *
 * @example
 * const check = responseUrls("http://127.0.0.1:9000/api/");
 * check("https://hooks.slack.com/actions/T1/2/x") // the URL
 * check("http://127.0.0.1:8080/attacker-collect")  // undefined
 */
export function responseUrls(apiUrl?: string): (raw: string) => ResponseUrl | undefined {
  const extra = apiUrl ? new URL(apiUrl).origin : undefined;
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return undefined;
    }
    if (url.username || url.password) return undefined;
    const slack = url.protocol === "https:" && url.hostname === "hooks.slack.com" && (url.port === "" || url.port === "443");
    return slack || url.origin === extra ? (url.toString() as ResponseUrl) : undefined;
  };
}

/** POST a message to an interaction's response_url (hooks.slack.com; five uses in 30 minutes). */
export async function postToResponseUrl(url: ResponseUrl, payload: object, fetchFn: typeof fetch = fetch): Promise<void> {
  const res = await fetchFn(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(10_000),
    // A redirect would lead the answer somewhere the check above never saw.
    redirect: "error",
  });
  if (!res.ok) {
    const body = (await res.text().catch(() => "")).slice(0, 200);
    throw new ResponseUrlError(res.status, body);
  }
  await res.arrayBuffer().catch(() => undefined);
}

export class ResponseUrlError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`response_url answered ${status}${body ? ` (${body})` : ""}`);
  }
}
