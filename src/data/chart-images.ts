// Chart PNGs with an expiry, in the database so any replica serves a link another one minted.
import type { PrismaClient } from "./db.ts";
import type { ChartImageStore } from "../ports.ts";

export function createChartImageStore(prisma: PrismaClient): ChartImageStore {
  return {
    async put(id, png, expiresAt, now) {
      // Expired images are dropped as new ones are made (indexed on expiresAt): the table stays small.
      await prisma.chartImage.deleteMany({ where: { expiresAt: { lt: now } } });
      await prisma.chartImage.create({ data: { id, png: new Uint8Array(png), expiresAt } });
    },
    async get(id, now) {
      const row = await prisma.chartImage.findFirst({ where: { id, expiresAt: { gt: now } }, select: { png: true } });
      return row ? Buffer.from(row.png) : null;
    },
  };
}
