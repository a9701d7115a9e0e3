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
  };
}

/** filesUploadV2 answers `{ files: [completeUploadExternal result, …] }`; each has `files: [{ id }]`. */
function fileIdOf(result: unknown): string | undefined {
  const outer = (result as { files?: { files?: { id?: unknown }[] }[] }).files;
  const id = outer?.[0]?.files?.[0]?.id;
  return typeof id === "string" ? id : undefined;
}

/** POST a message to an interaction's response_url (hooks.slack.com; five uses in 30 minutes). */
export async function postToResponseUrl(url: string, payload: object, fetchFn: typeof fetch = fetch): Promise<void> {
  const res = await fetchFn(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(10_000),
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
