// The ports of src/ports.ts over one database: what the runtime hands the adapters.
import type { Stores } from "../ports.ts";
import { createChartImageStore } from "./chart-images.ts";
import { createConversationStore } from "./conversations.ts";
import { createExportFileStore } from "./export-files.ts";
import type { PrismaClient } from "./db.ts";

export function createStores(prisma: PrismaClient): Stores {
  return { conversations: createConversationStore(prisma), chartImages: createChartImageStore(prisma), exportFiles: createExportFileStore(prisma) };
}
