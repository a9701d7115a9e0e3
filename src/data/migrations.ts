// The committed migrations in prisma/migrations/<timestamp>_<name>/migration.sql (Prisma's layout).
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type Migration = { name: string; sql: string; checksum: string };

export const defaultMigrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
export const defaultSchemaPath = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));

/** sha256 hex of the file content: the checksum `prisma migrate` records. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export async function readMigrations(dir: string = defaultMigrationsDir): Promise<Migration[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const names = entries.filter((e) => /^\d{14}_[\w-]+$/.test(e)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: migrationChecksum(sql) };
    }),
  );
}
