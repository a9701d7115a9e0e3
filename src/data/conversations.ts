// Conversation references: where a chat platform can reach a conversation later (digests, alerts,
// private answers). Platform-neutral: the reference itself is the platform's opaque JSON, keyed
// by platform + conversation id; adapters decide what goes in it.
import { z } from "zod";
import type { PrismaClient } from "./db.ts";
import type { Prisma } from "./generated/client.ts";

export const ConversationScope = z.enum(["personal", "group", "channel"]);
export type ConversationScope = z.infer<typeof ConversationScope>;

export const ConversationRecord = z.object({
  platform: z.enum(["slack", "teams"]),
  conversationId: z.string().min(1).max(500),
  scope: ConversationScope,
  /** The user of a personal conversation (the platform's user id); null for groups and channels. */
  userId: z.string().min(1).max(200).nullable(),
  /** Opaque to this layer: whatever the adapter needs to reach the conversation again. */
  reference: z.record(z.string(), z.unknown()),
  /** What the conversation belongs to (a Teams channel's team), so leaving it forgets them all. */
  groupId: z.string().min(1).max(500).nullable().default(null),
});
export type ConversationRecord = z.input<typeof ConversationRecord>;
export type ConversationPlatform = ConversationRecord["platform"];

/** A reference as read back: parsed, the reference itself still the platform's to parse. */
export type StoredConversation = z.output<typeof ConversationRecord>;
type StoredRecord = StoredConversation;

const toRecord = (row: { platform: string; conversationId: string; scope: string; userId: string | null; reference: unknown; groupId: string | null }): StoredRecord =>
  ConversationRecord.parse({ platform: row.platform, conversationId: row.conversationId, scope: row.scope, userId: row.userId, reference: row.reference, groupId: row.groupId });

/**
 * Insert or refresh the reference for a conversation (the latest one wins: service URLs move).
 *
 * @example
 * await saveConversation(prisma, { platform: "teams", conversationId: "a:1x", scope: "personal", userId: "aad-ann", reference: ref });
 */
export async function saveConversation(prisma: PrismaClient, record: ConversationRecord): Promise<void> {
  const r = ConversationRecord.parse(record);
  const data = { scope: r.scope, userId: r.userId, reference: r.reference as Prisma.InputJsonValue, groupId: r.groupId };
  await prisma.conversationRef.upsert({
    where: { platform_conversationId: { platform: r.platform, conversationId: r.conversationId } },
    create: { platform: r.platform, conversationId: r.conversationId, ...data },
    update: data,
  });
}

/** The stored reference of one conversation, or null. */
export async function findConversation(prisma: PrismaClient, platform: ConversationRecord["platform"], conversationId: string): Promise<StoredRecord | null> {
  const row = await prisma.conversationRef.findUnique({ where: { platform_conversationId: { platform, conversationId } } });
  return row ? toRecord(row) : null;
}

/** The most recently refreshed personal conversation with a user, or null. */
export async function findPersonalConversation(prisma: PrismaClient, platform: ConversationRecord["platform"], userId: string): Promise<StoredRecord | null> {
  const row = await prisma.conversationRef.findFirst({ where: { platform, userId, scope: "personal" }, orderBy: { updatedAt: "desc" } });
  return row ? toRecord(row) : null;
}

/** Forget a conversation (the bot was uninstalled or removed from it). True when one was stored. */
export async function removeConversation(prisma: PrismaClient, platform: ConversationRecord["platform"], conversationId: string): Promise<boolean> {
  const { count } = await prisma.conversationRef.deleteMany({ where: { platform, conversationId } });
  return count > 0;
}

/** Forget every conversation of a group (the bot left a Teams team: all its channels). How many. */
export async function removeGroupConversations(prisma: PrismaClient, platform: ConversationRecord["platform"], groupId: string): Promise<number> {
  const { count } = await prisma.conversationRef.deleteMany({ where: { platform, groupId } });
  return count;
}

/** The ConversationStore port (src/ports.ts) over this database. */
export function createConversationStore(prisma: PrismaClient) {
  return {
    save: (record: ConversationRecord) => saveConversation(prisma, record),
    find: (platform: ConversationPlatform, conversationId: string) => findConversation(prisma, platform, conversationId),
    findPersonal: (platform: ConversationPlatform, userId: string) => findPersonalConversation(prisma, platform, userId),
    remove: (platform: ConversationPlatform, conversationId: string) => removeConversation(prisma, platform, conversationId),
    removeGroup: (platform: ConversationPlatform, groupId: string) => removeGroupConversations(prisma, platform, groupId),
  };
}
