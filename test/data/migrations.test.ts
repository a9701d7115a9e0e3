import { describe, expect, it } from "vitest";
import { applyMigrations, MigrationError } from "../../src/data/migrate.ts";
import { defaultMigrationsDir, defaultSchemaPath, readMigrations } from "../../src/data/migrations.ts";
import { engineLoader, migrationDrift } from "../../src/data/schema-engine.ts";
import { backends, freshDatabase } from "../support/databases.ts";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

describe.each(backends)("migrations on %s", (backend) => {
  it("apply from empty, record _prisma_migrations like the CLI, and are idempotent", async () => {
    const db = await freshDatabase(backend, { migrate: false });
    try {
      const migrations = await readMigrations();
      expect(migrations.length).toBeGreaterThan(0);
      const first = await applyMigrations(db.sql);
      expect(first.applied).toEqual(migrations.map((m) => m.name));
      const rows = await db.sql.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
        `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(migrations.map((m) => [m.name, m.checksum]));
      expect(rows.every((r) => r.applied_steps_count === 1)).toBe(true);
      // The schema is usable through Prisma.
      await db.prisma.team.create({ data: { name: "East" } });
      expect(await db.prisma.team.count()).toBe(1);

      const second = await applyMigrations(db.sql);
      expect(second).toEqual({ applied: [], alreadyApplied: migrations.length });
      expect(await db.prisma.team.count()).toBe(1);
    } finally {
      await db.dispose();
    }
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const db = await freshDatabase(backend);
    try {
      const migrations = await readMigrations();
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
      await expect(applyMigrations(db.sql, edited)).rejects.toThrow(MigrationError);
    } finally {
      await db.dispose();
    }
  });
});

describe("schema.prisma and prisma/migrations", () => {
  // One engine for this file's checks, owned here (no module-level cache).
  const engine = engineLoader();

  /** A copy of the schema with a column the migrations lack. */
  async function driftedSchema(): Promise<{ schemaPath: string; migrationsDir: string }> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kpi-drift-"));
    const schema = (await readFile(defaultSchemaPath, "utf8")).replace(
      /model Team \{\n/,
      "model Team {\n  colour String?\n",
    );
    const schemaPath = path.join(dir, "schema.prisma");
    await writeFile(schemaPath, schema);
    await cp(defaultMigrationsDir, path.join(dir, "migrations"), { recursive: true });
    return { schemaPath, migrationsDir: path.join(dir, "migrations") };
  }

  it("agree (no drift)", async () => {
    expect(await migrationDrift(defaultSchemaPath, defaultMigrationsDir, engine)).toBe("");
  });

  it("drift is detected when the schema gains a column the migrations lack", async () => {
    const { schemaPath, migrationsDir } = await driftedSchema();
    expect(await migrationDrift(schemaPath, migrationsDir, engine)).toMatch(/ALTER TABLE "Team" ADD COLUMN\s+"colour" TEXT/);
  });

  it("a second engine loaded while the first works leaves it intact", async () => {
    const { schemaPath, migrationsDir } = await driftedSchema();
    const [clean, drifted] = await Promise.all([
      migrationDrift(defaultSchemaPath, defaultMigrationsDir, engine),
      migrationDrift(schemaPath, migrationsDir, engineLoader()),
    ]);
    expect(clean).toBe("");
    expect(drifted).toMatch(/ALTER TABLE "Team" ADD COLUMN\s+"colour" TEXT/);
  });
});
