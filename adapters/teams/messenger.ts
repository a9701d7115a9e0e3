// Sending outside the current turn: to stored conversations (digests, alerts) and to a user's
// personal chat (private answers asked in a channel). Conversation references live in the
// runtime's ConversationStore (the database), so they survive restarts and serve every replica;
// each is parsed when read back, and sent to only when its serviceUrl is trusted.
import { TurnContext, type Activity, type CloudAdapter, type ConversationParameters, type ConversationReference } from "botbuilder";
import type { Logger } from "../../src/log.ts";
import type { ConversationStore, StoredConversation } from "../../src/ports.ts";
import type { Reply } from "../../src/reply.ts";
import type { Compose, Composed } from "./compose.ts";
import { parseReference } from "./reference.ts";
import { conversationKey, scopeOf } from "./text.ts";

/** Bot Framework's audience for calls to the channel (AuthenticationConstants.ToChannelFromBotOAuthScope). */
const CHANNEL_AUDIENCE = "https://api.botframework.com";

export type ProactiveResult =
  | { ok: true }
  | {
      ok: false;
      error: "unknown_conversation" | "unusable_reference" | "private_reply_to_shared_conversation" | "send_failed";
      message: string;
      /** the connector's HTTP status */ status?: number;
    };

export type Messenger = {
  /** Store (or refresh) the reference of the conversation an inbound activity came from. */
  remember(activity: Partial<Activity>): Promise<void>;
  forget(activity: Partial<Activity>): Promise<void>;
  /** Send a reply to a stored conversation, e.g. a digest. Private replies only go to personal chats. */
  sendProactive(conversationKey: string, reply: Reply): Promise<ProactiveResult>;
  /** Send a reply to a user's stored personal chat (userId: AAD object id, as the core knows them). */
  sendToUser(userId: string, reply: Reply): Promise<ProactiveResult>;
  /** Post an answer its asker chose to share (already re-checked) in a stored conversation. */
  postShared(conversationKey: string, activity: Composed): Promise<boolean>;
  /** Send to the asker's personal chat: the stored one, else a newly created one. False when unreachable. */
  sendPrivately(context: TurnContext, userId: string, activity: Composed): Promise<boolean>;
};

export type MessengerDeps = {
  adapter: CloudAdapter;
  appId: string;
  conversations: ConversationStore;
  compose: Compose;
  /** Whether a serviceUrl may be sent to (Bot Framework's hosts; anything in local mode). */
  serviceUrlAllowed: (serviceUrl: unknown) => boolean;
  logger?: Logger | undefined;
};

/** The user id we key people by: the AAD object id when Teams sends it (the emulator does not). */
export function teamsUserId(activity: Partial<Activity>): string {
  return activity.from?.aadObjectId ?? activity.from?.id ?? "";
}

/** A storable reference: the channel itself rather than a thread, and no activity to reply to. */
export function referenceOf(activity: Partial<Activity>): Partial<ConversationReference> {
  const ref = TurnContext.getConversationReference(activity);
  delete ref.activityId;
  if (ref.conversation) ref.conversation = { ...ref.conversation, id: conversationKey(ref.conversation.id) };
  return JSON.parse(JSON.stringify(ref)) as Partial<ConversationReference>;
}

/** The team a channel activity comes from (channelData.team.id), or null. */
export function teamOf(activity: Partial<Activity>): string | null {
  const id = (activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  return typeof id === "string" && id.length > 0 ? id : null;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 300);

export function createMessenger(deps: MessengerDeps): Messenger {
  const { adapter, appId, conversations, logger } = deps;

  async function save(ref: Partial<ConversationReference>, scope: "personal" | "group" | "channel", userId: string | null, groupId: string | null = null): Promise<void> {
    const id = ref.conversation?.id;
    if (!id) return;
    // Only references the bot could send to are kept (a bad serviceUrl never reaches storage).
    if (!parseReference(ref).ok || !deps.serviceUrlAllowed(ref.serviceUrl)) return;
    await conversations.save({ platform: "teams", conversationId: id, scope, userId, reference: ref as Record<string, unknown>, groupId });
  }

  /** The stored reference, parsed, if it may be sent to; else why not (logged). */
  function usable(stored: StoredConversation): { ok: true; reference: Partial<ConversationReference> } | { ok: false; error: "unusable_reference"; message: string } {
    const parsed = parseReference(stored.reference);
    const message = !parsed.ok ? `stored reference unusable: ${parsed.reason}` : !deps.serviceUrlAllowed(parsed.reference.serviceUrl) ? "stored reference names a serviceUrl that is not a Bot Framework host" : null;
    if (message === null && parsed.ok) return { ok: true, reference: parsed.reference };
    logger?.error("teams_reference_unusable", { conversation: stored.conversationId.slice(0, 200), error: message });
    return { ok: false, error: "unusable_reference", message: message ?? "unusable reference" };
  }

  async function send(ref: Partial<ConversationReference>, activity: Composed): Promise<void> {
    // An error thrown inside the turn would go to onTurnError and be swallowed: carry it out.
    let failure: unknown;
    await adapter.continueConversationAsync(appId, ref, async (ctx) => {
      try {
        await ctx.sendActivity(activity);
      } catch (e) {
        failure = e ?? new Error("send failed");
      }
    });
    if (failure) throw failure;
  }

  async function createPersonalChat(context: TurnContext, userId: string): Promise<Partial<ConversationReference>> {
    const a = context.activity;
    const tenantId = (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
    const params = {
      isGroup: false,
      bot: a.recipient,
      members: [{ id: a.from.id, name: a.from.name }],
      tenantId,
      channelData: tenantId ? { tenant: { id: tenantId } } : undefined,
    } as ConversationParameters;
    const audience = (context.turnState.get(adapter.OAuthScopeKey) as string | undefined) ?? CHANNEL_AUDIENCE;
    let created: Partial<ConversationReference> | undefined;
    await adapter.createConversationAsync(appId, a.channelId, a.serviceUrl, audience, params, async (ctx) => {
      created = {
        channelId: a.channelId,
        serviceUrl: a.serviceUrl,
        bot: a.recipient,
        user: a.from,
        conversation: { id: ctx.activity.conversation.id, conversationType: "personal", isGroup: false, tenantId, name: "" },
        locale: a.locale,
      };
    });
    if (!created) throw new Error("createConversation returned no conversation");
    const ref = JSON.parse(JSON.stringify(created)) as Partial<ConversationReference>;
    await save(ref, "personal", userId);
    return ref;
  }

  async function deliver(stored: StoredConversation, reply: Reply): Promise<ProactiveResult> {
    const ref = usable(stored);
    if (!ref.ok) return ref;
    try {
      await send(ref.reference, await deps.compose(reply));
      return { ok: true };
    } catch (e) {
      const status = (e as { statusCode?: unknown }).statusCode;
      logger?.error("teams_proactive_failed", { conversation: stored.conversationId, status, error: errorText(e) });
      return { ok: false, error: "send_failed", message: errorText(e), ...(typeof status === "number" ? { status } : {}) };
    }
  }

  return {
    async remember(activity) {
      const scope = scopeOf(activity);
      await save(referenceOf(activity), scope, scope === "personal" ? teamsUserId(activity) || null : null, scope === "channel" ? teamOf(activity) : null);
    },
    async forget(activity) {
      const id = activity.conversation?.id;
      if (id) await conversations.remove("teams", conversationKey(id));
      // Out of a team means out of all its channels, not only the one the event names.
      const team = scopeOf(activity) === "channel" ? teamOf(activity) : null;
      if (team) await conversations.removeGroup("teams", team);
    },
    async sendProactive(key, reply) {
      const stored = await conversations.find("teams", conversationKey(key));
      if (!stored) return { ok: false, error: "unknown_conversation", message: `no stored Teams conversation ${key}: the bot must be installed there first` };
      if (reply.visibility === "private" && stored.scope !== "personal") {
        return { ok: false, error: "private_reply_to_shared_conversation", message: "a private reply (figures about individual people) goes only to a personal chat" };
      }
      return deliver(stored, reply);
    },
    async sendToUser(userId, reply) {
      const stored = await conversations.findPersonal("teams", userId);
      if (!stored) return { ok: false, error: "unknown_conversation", message: "no personal chat with this Teams user is stored: they must add kpi-bot for themselves first" };
      return deliver(stored, reply);
    },
    async postShared(key, activity) {
      const stored = await conversations.find("teams", conversationKey(key));
      const ref = stored ? usable(stored) : null;
      if (!stored || !ref?.ok) return false;
      try {
        await send(ref.reference, activity);
        return true;
      } catch (e) {
        logger?.error("teams_share_failed", { conversation: stored.conversationId, error: errorText(e) });
        return false;
      }
    },
    async sendPrivately(context, userId, activity) {
      const stored = userId ? await conversations.findPersonal("teams", userId) : null;
      const ref = stored ? usable(stored) : null;
      if (ref?.ok) {
        try {
          await send(ref.reference, activity);
          return true;
        } catch (e) {
          // A stale reference (app removed and re-added): fall through to a new chat.
          logger?.error("teams_personal_send_failed", { error: errorText(e) });
        }
      }
      try {
        await send(await createPersonalChat(context, userId), activity);
        return true;
      } catch (e) {
        logger?.error("teams_personal_chat_create_failed", { error: errorText(e) });
        return false;
      }
    },
  };
}
