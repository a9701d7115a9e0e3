// What the runtime hands adapters for the little they keep themselves (conversation references,
// chart images, exported files): ports, so adapters never reach src/data or the database client directly.
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

/** An exported answer's file as stored behind a link. */
export type StoredFile = { filename: string; mimeType: string; bytes: Buffer };

/** Exported answers (files) behind short-lived links, readable by every replica. */
export type ExportFileStore = {
  /** Store a file until `expiresAt`, dropping files that expired by `now`. */
  put(id: string, file: StoredFile, expiresAt: Date, now: Date): Promise<void>;
  /** The file if it is stored and has not expired at `now`. */
  get(id: string, now: Date): Promise<StoredFile | null>;
  /** Delete files expired by `now`; how many. */
  prune(now: Date): Promise<number>;
};

export type Stores = { conversations: ConversationStore; chartImages: ChartImageStore; exportFiles: ExportFileStore };
