// Exported answers (files) with an expiry, in the database so any replica serves a link another
// one minted. The bytes are deleted once expired: on every store and by `prune`.
import type { PrismaClient } from "./db.ts";
import type { ExportFileStore } from "../ports.ts";

export function createExportFileStore(prisma: PrismaClient): ExportFileStore {
  return {
    async put(id, file, expiresAt, now) {
      await prisma.exportFile.deleteMany({ where: { expiresAt: { lte: now } } });
      await prisma.exportFile.create({ data: { id, filename: file.filename, mimeType: file.mimeType, bytes: new Uint8Array(file.bytes), expiresAt } });
    },
    async get(id, now) {
      const row = await prisma.exportFile.findFirst({ where: { id, expiresAt: { gt: now } }, select: { filename: true, mimeType: true, bytes: true } });
      return row ? { filename: row.filename, mimeType: row.mimeType, bytes: Buffer.from(row.bytes) } : null;
    },
    async prune(now) {
      const r = await prisma.exportFile.deleteMany({ where: { expiresAt: { lte: now } } });
      return r.count;
    },
  };
}
