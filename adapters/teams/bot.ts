// The Teams bot: one method per activity kind. Parse the payload → core handle() → render; the
// rules (access, privacy, figures) are the core's.
import type { Metrics } from "../../src/ops/metrics.ts";
import { randomUUID } from "node:crypto";
import { ActivityHandler, type InvokeResponse, type TurnContext } from "botbuilder";
import type { Bot, Request } from "../../src/bot.ts";
import type { Logger } from "../../src/log.ts";
import { buildExport, refusalText } from "../../src/export/index.ts";
import type { Lang, Reply } from "../../src/reply.ts";
import { malformed } from "./activity.ts";
import type { Compose, Extras } from "./compose.ts";
import type { ExportLinks } from "./exports.ts";
import type { TeamsIdentity } from "./identity.ts";
import type { Messenger } from "./messenger.ts";
import { channelShare, DEFAULT_SHARE_RULES, isShareableCommand, mayOfferShare, readShare, shareData, shareWords, type ShareRequest, type ShareRules } from "./share.ts";
import { commandText, conversationKey, scopeOf } from "./text.ts";

const notes: Record<Lang, { sentPrivately: string; fileSentPrivately: string; cannotReach: string; download: (format: string) => string; linkNote: (minutes: number) => string; fileFailed: string }> = {
  en: {
    sentPrivately: "This answer has figures about individual people, so I sent it to you in our private chat.",
    fileSentPrivately: "Files go only to the person who asked, so I sent the answer and its download link to you in our private chat.",
    download: (format) => `Download ${format.toUpperCase()}`,
    linkNote: (minutes) => `The download link works for ${minutes} minutes. It opens the file for whoever has it: don't forward it.`,
    fileFailed: "The file could not be prepared; the figures above are complete. Try again in a minute.",
    cannotReach:
      "This answer has figures about individual people, so I only send it privately, but I cannot open a private chat with you yet. Add kpi-bot for yourself (Apps → kpi-bot → Add) and ask there.",
  },
  zh: {
    sentPrivately: "这个回答包含个人数据，已通过私聊发给你。",
    fileSentPrivately: "文件只发给提问的人，回答和下载链接已通过私聊发给你。",
    download: (format) => `下载 ${format.toUpperCase()}`,
    linkNote: (minutes) => `下载链接 ${minutes} 分钟内有效。持有链接的人都能打开文件，请勿转发。`,
    fileFailed: "文件未能生成；上面的数字是完整的。请一分钟后再试。",
    cannotReach: "这个回答包含个人数据，只能私聊发送，但目前无法和你建立私聊。请先为自己添加 kpi-bot（应用 → kpi-bot → 添加），然后在私聊中提问。",
  },
};

export type TeamsBotDeps = {
  core: Bot;
  compose: Compose;
  messenger: Messenger;
  identify: (context: TurnContext) => Promise<TeamsIdentity>;
  /** Signs "Post in channel" buttons (the same on every replica). */
  shareSecret: Buffer;
  /** What a shared post may carry (KPI_SHARE_LEADERBOARD); default: aggregates only. */
  shareRules?: ShareRules;
  /**
   * With an app id (Azure mode) only activities from the Teams channel are served: other Bot
   * Framework channels (Direct Line, Web Chat) let the client choose `from.id`.
   */
  teamsOnly?: boolean;
  /** A single-tenant bot serves only its own tenant's users. */
  tenantId?: string | undefined;
  /**
   * Whether the activity's serviceUrl may be answered (Bot Framework's hosts in Azure mode): it is
   * where replies, member lookups and the stored reference go.
   */
  serviceUrlAllowed: (serviceUrl: unknown) => boolean;
  /** Download links for exported answers (`kpi … csv`); absent: exports are refused with a note. */
  exports?: ExportLinks | undefined;
  /** Records how long answers take until the Bot Connector accepted them (GET /metrics). */
  metrics?: Pick<Metrics, "answerSeconds"> | undefined;
  logger?: Logger | undefined;
};

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 300);

export class KpiTeamsBot extends ActivityHandler {
  constructor(private readonly deps: TeamsBotDeps) {
    super();
  }

  override async run(context: TurnContext): Promise<void> {
    const a = context.activity;
    const refusal = this.refusal(a);
    if (refusal) {
      this.deps.logger?.error(refusal.event, refusal.data);
      // An invoke needs an answer of its own; without one CloudAdapter reports 501.
      if (a.type === "invoke") await context.sendActivity({ type: "invokeResponse", value: { status: refusal.event === "teams_activity_malformed" ? 400 : 403 } });
      return;
    }
    await super.run(context);
  }

  /** Why an activity is not served (malformed, foreign channel or tenant, untrusted serviceUrl), or null. */
  private refusal(a: TurnContext["activity"]): { event: string; data: object } | null {
    const bad = malformed(a);
    if (bad) return { event: "teams_activity_malformed", data: { type: String(a.type).slice(0, 40), paths: bad } };
    if (this.deps.teamsOnly && a.channelId !== "msteams") return { event: "teams_foreign_channel", data: { channelId: String(a.channelId).slice(0, 40) } };
    const tenant = (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
    if (this.deps.tenantId && tenant !== this.deps.tenantId) return { event: "teams_foreign_tenant", data: { tenant: String(tenant).slice(0, 60) } };
    if (!this.deps.serviceUrlAllowed(a.serviceUrl)) return { event: "teams_service_url_refused", data: { serviceUrl: String(a.serviceUrl).slice(0, 100) } };
    return null;
  }

  /** A message or a submitted button: answer it, privately when the core says so; or share an answer. */
  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (a.from?.role === "bot") return;
    const who = await this.deps.identify(context);
    await this.deps.messenger.remember(a).catch((e: unknown) => this.deps.logger?.error("teams_reference_save_failed", { error: errorText(e) }));
    const share = readShare(this.deps.shareSecret, who.userId, a.value);
    if (share.ok) return this.share(context, who, share.request);
    const text = commandText(a);
    if (share.reason === "bad_signature") {
      await context.sendActivity(shareWords[/[\u3400-\u9fff]/.test(text) ? "zh" : "en"].notYours);
      return;
    }
    // The core keeps at most 200 characters of `where`; a longer id is better absent than cut.
    const where = conversationKey(a.conversation.id);
    // One id on the log lines of this message (received, answered, delivered) and on its audit row.
    const requestId = randomUUID();
    const log = this.deps.logger?.child({ requestId });
    const started = performance.now();
    log?.info("request_received", { adapter: "teams", user: who.userId });
    const request: Request = { platform: "teams", userId: who.userId, email: who.email, authenticated: who.authenticated, ...(where.length <= 200 ? { where } : {}), text, requestId };
    const reply = await this.deps.core.handle(request);
    const delivered = (via: string) => {
      const seconds = (performance.now() - started) / 1000;
      this.deps.metrics?.answerSeconds.observe({ adapter: "teams", stage: "delivered" }, seconds);
      log?.info("reply_delivered", { adapter: "teams", kind: reply.kind, via, ms: Math.round(seconds * 1000) });
    };
    const file = reply.export ? await this.exportLink(reply, log) : {};
    // A file (its link opens it for whoever holds it) goes only to the asker, whatever it holds.
    if ((reply.visibility === "private" || reply.export) && scopeOf(a) !== "personal") {
      // Figures about individual people never go into a channel or group chat on their own: the
      // answer goes to the asker, with a button to post it there if they choose (and may).
      // Answers about the asker alone stay private: no share button.
      const shareable = request.where !== undefined && mayOfferShare(this.deps.shareRules ?? DEFAULT_SHARE_RULES, reply);
      const extras = shareable
        ? { share: { title: shareWords[reply.lang].button, data: shareData(this.deps.shareSecret, who.userId, { command: text, channel: where }) } }
        : {};
      const sent = await this.deps.messenger.sendPrivately(context, who.userId, await this.deps.compose(reply, { ...extras, ...file }));
      await context.sendActivity(sent ? (reply.export ? notes[reply.lang].fileSentPrivately : notes[reply.lang].sentPrivately) : notes[reply.lang].cannotReach);
      if (sent) delivered("private_chat");
      return;
    }
    await context.sendActivity(await this.deps.compose(reply, file));
    delivered("reply");
  }

  /** The exported answer's file stored behind a signed link: a download button and its note, or why not. */
  private async exportLink(reply: Reply, log: Logger | undefined): Promise<Pick<Extras, "download" | "notes">> {
    const n = notes[reply.lang];
    const built = await buildExport(reply);
    if (!built.ok) {
      log?.info("teams_export_refused", { reason: built.error });
      return { notes: [refusalText(built.error, reply.lang) ?? n.fileFailed] };
    }
    const { file } = built;
    if (!this.deps.exports) return { notes: [n.fileFailed] };
    try {
      const link = await this.deps.exports.put({ filename: file.filename, mimeType: file.mimeType, bytes: file.bytes });
      log?.info("teams_export_stored", { format: file.format, bytes: file.bytes.length, rows: file.rows });
      return { download: { title: n.download(file.format), url: link.url }, notes: [n.linkNote(Math.max(1, Math.round(this.deps.exports.ttlMs / 60_000)))] };
    } catch (e) {
      log?.error("teams_export_failed", { format: file.format, error: errorText(e) });
      return { notes: [n.fileFailed] };
    }
  }

  /** "Post in channel": ask again as the presser (fresh access check), then post unless it is about them. */
  private async share(context: TurnContext, who: TeamsIdentity, r: ShareRequest): Promise<void> {
    const rules = this.deps.shareRules ?? DEFAULT_SHARE_RULES;
    if (!isShareableCommand(rules, r.command)) {
      this.deps.logger?.warn("teams_share_refused", { reason: "not_a_question" });
      await context.sendActivity(shareWords[/[\u3400-\u9fff]/.test(r.command) ? "zh" : "en"].notQuestion);
      return;
    }
    const request: Request = { platform: "teams", userId: who.userId, email: who.email, authenticated: who.authenticated, where: r.channel, text: r.command, share: true };
    const reply = await this.deps.core.handle(request);
    const w = shareWords[reply.lang];
    const shared = channelShare(rules, reply);
    if (!shared.ok) {
      if (shared.refusal === "not_answer") await context.sendActivity(await this.deps.compose(reply, { notes: [w.notAnswer] }));
      else await context.sendActivity(shared.refusal === "about_you" ? w.aboutYou : w.aboutPerson);
      return;
    }
    const name = context.activity.from.name || who.email || who.userId;
    const posted = await this.deps.messenger.postShared(r.channel, await this.deps.compose(shared.reply, { notes: [w.sharedBy(name)] }));
    await context.sendActivity(posted ? w.posted : w.failed);
  }

  /** The bot added to (or removed from) a team, group chat or personal chat. */
  protected override async onConversationUpdateActivity(context: TurnContext): Promise<void> {
    const a = context.activity;
    const botId = a.recipient?.id;
    const eventType = (a.channelData as { eventType?: string } | undefined)?.eventType;
    if (a.membersRemoved?.some((m) => m.id === botId) || eventType === "teamDeleted") await this.deps.messenger.forget(a);
    else await this.deps.messenger.remember(a);
  }

  /**
   * Invokes (Action.Execute, task modules, message extensions): the bot uses none, its buttons are
   * Action.Submit messages. Acknowledged and ignored; botbuilder's default answers 501, which
   * reads as a server fault.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    this.deps.logger?.info("teams_invoke_ignored", { name: String(context.activity.name).slice(0, 60) });
    return { status: 200 };
  }

  /** The app installed, upgraded or uninstalled in a scope. */
  protected override async onInstallationUpdateActivity(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (a.action?.startsWith("remove")) await this.deps.messenger.forget(a);
    else await this.deps.messenger.remember(a);
  }
}
