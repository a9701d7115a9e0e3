// What a Slack user gets for a command, a button or the Home tab: ask the core as that user
// (email from users.info when the core does not know them yet), render, deliver.
import type { Bot } from "../../src/bot.ts";
import { randomUUID } from "node:crypto";
import type { Logger } from "../../src/log.ts";
import type { Metrics } from "../../src/ops/metrics.ts";
import type { ChartRenderer } from "../../src/charts/index.ts";
import type { ParseContextInput } from "../../src/command/index.ts";
import type { Reply } from "../../src/reply.ts";
import { buildExport, refusalText } from "../../src/export/index.ts";
import { forChannel, isAnswerCommand, shareRefusal, type SharePolicy } from "../../src/share.ts";
import { postToResponseUrl, ResponseUrlError, type Message, type ResponseUrl, type SlackApi } from "./api.ts";
import { replyToBlocks, type ChartImage } from "./blocks.ts";
import { uploadCharts } from "./charts.ts";
import { HOME_COMMANDS, homeBlocks } from "./home.ts";
import { describeSlackError, retryAfterSeconds } from "./retry.ts";
import { readShareValue, shareValue } from "./share.ts";
import { words } from "./words.ts";

export type AnswerDeps = {
  bot: Bot;
  logger: Logger;
  renderer: ChartRenderer;
  share: {
    /** Signs share buttons (adapters/slack/share.ts). */
    key: Buffer;
    policy: SharePolicy;
    /** How the core parses commands now (to tell questions from commands that change things). */
    calendar: () => ParseContextInput;
  };
  /** Records how long answers take until Slack accepted them (GET /metrics). */
  metrics?: Pick<Metrics, "answerSeconds">;
};


/** `share`: a "Post to channel" re-run (no file is made for it). */
type Asker = { userId: string; channel?: string | undefined; email?: string | undefined; requestId?: string | undefined; share?: boolean };

/** Ask the core; when it does not know the user, look up their email once and ask again (the core links them). */
export async function ask(deps: AnswerDeps, api: SlackApi, who: Asker, text: string): Promise<{ reply: Reply; email?: string | undefined }> {
  const request = (email?: string) =>
    // Bolt verified the request signature (HTTP) or it came over the app-token socket: authenticated.
    deps.bot.handle({ platform: "slack", userId: who.userId, authenticated: true, text, ...(who.channel ? { where: who.channel } : {}), ...(email ? { email } : {}), ...(who.requestId ? { requestId: who.requestId } : {}), ...(who.share ? { share: true } : {}) });
  const reply = await request(who.email);
  if (reply.kind !== "unlinked" || who.email) return { reply, email: who.email };
  const email = await api.userEmail(who.userId).catch(() => undefined);
  return email ? { reply: await request(email), email } : { reply };
}


/** Post privately to a response_url; if Slack refuses the images (file not shared yet), send it without them. */
async function respondPrivately(deps: AnswerDeps, responseUrl: ResponseUrl, message: Message, withoutImages?: () => Message): Promise<void> {
  const payload = (m: Message) => ({ response_type: "ephemeral", replace_original: false, text: m.text, blocks: m.blocks });
  try {
    await postToResponseUrl(responseUrl, payload(message));
  } catch (e) {
    if (withoutImages && e instanceof ResponseUrlError && e.status < 500) {
      deps.logger.error("slack_response_images_refused", { status: e.status, body: e.body });
      await postToResponseUrl(responseUrl, payload(withoutImages()));
      return;
    }
    throw e;
  }
}

export type Interaction = { api: SlackApi; userId: string; channel?: string | undefined; text: string; responseUrl: ResponseUrl; requestId?: string };

/**
 * A command or a follow-up button: answer privately, charts shared into the asker's DM with the
 * bot. Its log lines (received, answered by the core, delivered) and audit row share one request id.
 */
export async function answerPrivately(base: AnswerDeps, interaction: Interaction): Promise<void> {
  const started = performance.now();
  const i = { ...interaction, requestId: interaction.requestId ?? randomUUID() };
  const deps = { ...base, logger: base.logger.child({ requestId: i.requestId }) };
  deps.logger.info("request_received", { adapter: "slack", user: i.userId });
  try {
    const { reply } = await ask(deps, i.api, i, i.text);
    const isAnswer = reply.kind === "answer";
    let charts: ChartImage[] = [];
    let dmOpened: Promise<string | undefined> | undefined;
    const openDm = () => (dmOpened ??= i.api.openDm(i.userId).catch(() => undefined));
    if (isAnswer && reply.charts.length > 0) {
      // An ephemeral message can only show files its reader may see; shared into the channel
      // they would be visible to everyone, so they go to the asker's DM with the bot instead.
      const dm = await openDm();
      charts = dm
        ? await uploadCharts(reply, { channel: dm }, { renderer: deps.renderer, api: i.api, logger: deps.logger })
        : reply.charts.map((c) => ({ unavailable: true as const, title: c.title }));
    }
    const shareable = i.channel !== undefined && shareRefusal(reply, deps.share.policy) === undefined;
    const share = shareable ? shareValue(deps.share.key, i.userId, i.channel!, i.text) : undefined;
    const fileNotes = reply.export ? [await deliverExport(deps, i, reply, openDm)] : [];
    const message = replyToBlocks(reply, { charts, shareValue: share, notes: fileNotes });
    const hasImages = charts.some((c) => "fileId" in c);
    await respondPrivately(deps, i.responseUrl, message, hasImages ? () => replyToBlocks(reply, { shareValue: share, notes: [...fileNotes, words(reply.lang).chartInDm] }) : undefined);
    const seconds = (performance.now() - started) / 1000;
    deps.metrics?.answerSeconds.observe({ adapter: "slack", stage: "delivered" }, seconds);
    deps.logger.info("reply_delivered", { adapter: "slack", kind: reply.kind, via: "response_url", ms: Math.round(seconds * 1000) });
  } catch (e) {
    deps.logger.error("slack_answer_failed", { error: e instanceof Error ? e.message.slice(0, 200) : String(e) });
    await postToResponseUrl(i.responseUrl, { response_type: "ephemeral", replace_original: false, text: words("en").somethingWentWrong }).catch(() => undefined);
  }
}

/**
 * `csv` / `xlsx`: the answer's file, uploaded into the asker's DM with the bot only — never the
 * channel it was asked in, whatever it holds. Returns the note for the ephemeral answer.
 */
async function deliverExport(deps: AnswerDeps, i: Interaction, reply: Reply, openDm: () => Promise<string | undefined>): Promise<string> {
  const w = words(reply.lang);
  const built = await buildExport(reply);
  if (!built.ok) {
    deps.logger.info("slack_export_refused", { reason: built.error });
    return refusalText(built.error, reply.lang) ?? w.fileFailed;
  }
  const { file } = built;
  try {
    const dm = await openDm();
    if (!dm) throw new Error("conversations.open failed");
    await i.api.uploadFile({ channel: dm, bytes: file.bytes, filename: file.filename, title: reply.title });
    deps.logger.info("slack_export_delivered", { format: file.format, bytes: file.bytes.length, rows: file.rows });
    return w.fileInDm(file.filename);
  } catch (e) {
    deps.logger.error("slack_export_failed", { format: file.format, error: e instanceof Error ? e.message.slice(0, 200) : String(e) });
    return w.fileFailed;
  }
}

/**
 * "Post to channel": check the button's signature and that its command is a question, run it
 * again as the clicker (a fresh access check), then post what a channel may see of it, unless it
 * is no longer allowed or is about the asker alone. `i.text` is the button's value.
 */
export async function shareToChannel(deps: AnswerDeps, i: Interaction & { channel: string }): Promise<"posted" | "refused" | "failed"> {
  const tell = (text: string, m?: Message) =>
    postToResponseUrl(i.responseUrl, { response_type: "ephemeral", replace_original: false, text, ...(m ? { blocks: m.blocks } : {}) }).catch((e: unknown) =>
      deps.logger.error("slack_response_failed", { error: e instanceof Error ? e.message.slice(0, 200) : String(e) }),
    );
  const signed = readShareValue(deps.share.key, i.userId, i.channel, i.text);
  if (!signed.ok || !isAnswerCommand(signed.command, deps.share.calendar())) {
    // Nothing ran: a crafted or edited button never reaches the core.
    deps.logger.error("slack_share_refused", { reason: signed.ok ? "not_a_question" : "bad_signature", user: i.userId });
    await tell(words("en").notPostedBadButton);
    return "refused";
  }
  const { reply } = await ask(deps, i.api, { ...i, share: true }, signed.command);
  const w = words(reply.lang);
  const refusal = shareRefusal(reply, deps.share.policy);
  if (refusal === "not_answer") {
    const m = replyToBlocks(reply, { followUps: false, notes: [w.notPostedNotAnswer] });
    await tell(m.text, m);
    return "refused";
  }
  if (refusal) {
    await tell(refusal === "about_you" ? w.notPostedAboutYou : w.notPostedAboutPerson);
    return "refused";
  }
  let posted: { ts: string; channel: string };
  try {
    posted = await postWithCharts(deps, i.api, i.channel, forChannel(reply, deps.share.policy), { sharedBy: i.userId });
  } catch (e) {
    const error = describeSlackError(e).error;
    await tell(
      retryAfterSeconds(e) !== undefined ? w.notPostedBusy
      : error === "not_in_channel" || error === "channel_not_found" || error === "is_archived" ? w.notPostedNotInChannel
      : w.notPostedFailed,
    );
    return "failed";
  }
  await tell(w.posted(`<#${posted.channel}>`));
  return "posted";
}

/**
 * Post a reply visibly in a channel; its charts go into the message's thread (shared with the
 * channel's members, so the image blocks can show them) and then into the message itself.
 * Throws when the message itself cannot be posted; a chart that fails only loses its image.
 */
export async function postWithCharts(
  deps: Pick<AnswerDeps, "renderer" | "logger">,
  api: SlackApi,
  channel: string,
  reply: Reply,
  options: { sharedBy?: string } = {},
): Promise<{ ts: string; channel: string }> {
  const w = words(reply.lang);
  const base = { ...(options.sharedBy ? { sharedBy: options.sharedBy } : {}), privateNote: false };
  const posted = await api.postMessage(channel, replyToBlocks(reply, base));
  if (reply.charts.length > 0) {
    const charts = await uploadCharts(reply, { channel: posted.channel, threadTs: posted.ts }, { renderer: deps.renderer, api, logger: deps.logger });
    const shown = charts.some((c) => "fileId" in c);
    await api
      .updateMessage(posted.channel, posted.ts, replyToBlocks(reply, { ...base, charts }))
      .catch(() => (shown ? api.updateMessage(posted.channel, posted.ts, replyToBlocks(reply, { ...base, notes: [w.chartInThread] })) : undefined))
      .catch(() => undefined);
  }
  return posted;
}

/** The Home tab for one user, published with views.publish. */
export async function publishHome(deps: AnswerDeps, api: SlackApi, userId: string): Promise<void> {
  const month = await ask(deps, api, { userId }, HOME_COMMANDS.month);
  const linked = month.reply.kind === "answer";
  const quarter = linked ? (await ask(deps, api, { userId, email: month.email }, HOME_COMMANDS.quarter)).reply : undefined;
  const subscriptions = linked ? (await ask(deps, api, { userId, email: month.email }, HOME_COMMANDS.subscriptions)).reply : undefined;
  await api.publishHome(userId, homeBlocks({ month: month.reply, quarter, subscriptions }));
}
