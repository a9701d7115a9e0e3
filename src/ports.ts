// What the runtime hands adapters for the little they keep themselves (conversation references,
// chart images): ports, so adapters never reach src/data or the database client directly.
import type { ConversationPlatform, ConversationRecord, StoredConversation } from "./data/conversations.ts";

export type { ConversationPlatform, ConversationRecord, StoredConversation };

/** Where a chat platform can reach a conversation later (digests, alerts, private answers). */
export type ConversationStore = {
  /** Insert or refresh (the latest reference wins: service URLs move). */
  save(record: ConversationRecord): Promise<void>;
  find(platform: ConversationPlatform, conversationId: string): Promise<StoredConversation | null>;
  /** The most recently refreshed personal conversation with a user. */
  findPersonal(platform: ConversationPlatform, userId: string): Promise<StoredConversation | null>;
  /** True when one was stored. */
  remove(platform: ConversationPlatform, conversationId: string): Promise<boolean>;
  /** Every conversation of a group (a Teams team's channels); how many. */
  removeGroup(platform: ConversationPlatform, groupId: string): Promise<number>;
};

/** Chart PNGs behind short-lived links, readable by every replica. */
export type ChartImageStore = {
  /** Store a PNG until `expiresAt`, dropping images that expired before `now`. */
  put(id: string, png: Buffer, expiresAt: Date, now: Date): Promise<void>;
  /** The PNG if it is stored and has not expired at `now`. */
  get(id: string, now: Date): Promise<Buffer | null>;
};

export type Stores = { conversations: ConversationStore; chartImages: ChartImageStore };
