// Database tests run on embedded PGlite always, and also on the PostgreSQL server named by
// TEST_DATABASE_URL when it is set (each test file gets a fresh database there).
//
// Creating and migrating a database takes seconds, so a fresh one is a copy of a template made
// once: on PGlite a data-directory image (a tarball cached in the OS temp directory), on
// PostgreSQL a template database `kpi_template_<key>` copied by CREATE DATABASE … TEMPLATE. The
// key hashes the migrations (and PGlite's version), so changing a migration makes a new template.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { openDatabase, pgliteDatabase, type Database, type DatabaseTarget, type OpenOptions } from "../../src/data/db.ts";
import { applyMigrations } from "../../src/data/migrate.ts";
import { readMigrations } from "../../src/data/migrations.ts";

export type Backend = "pglite" | "postgres";

export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/** `url`: the connection string of a PostgreSQL test database (for a second connection or process). */
export type TestDatabase = Database & { dispose(): Promise<void>; url?: string };

/** A new, empty database of that backend (migrated unless asked not to). */
export async function freshDatabase(backend: Backend, options: OpenOptions = {}): Promise<TestDatabase> {
  const migrated = options.migrate !== false;
  const db = backend === "pglite" ? await freshPGlite(migrated) : await freshPostgres(migrated);
  if (migrated) await newEpoch(db);
  return db;
}

async function freshPGlite(migrated: boolean): Promise<TestDatabase> {
  const images = await pgliteImages();
  const db = await pgliteDatabase(new PGlite({ loadDataDir: migrated ? images.migrated : images.empty }), "memory");
  return Object.assign(db, { dispose: () => db.close() });
}

async function freshPostgres(migrated: boolean): Promise<TestDatabase> {
  const template = migrated ? await postgresTemplate() : "template1";
  const name = `kpi_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const target: DatabaseTarget = { kind: "postgres", url: databaseUrl(name) };
  const db = await openDatabase(target, { migrate: false });
  return Object.assign(db, {
    url: target.url,
    async dispose() {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}

/**
 * The migration that creates RosterVersion draws a random epoch ("which database is this");
 * copies of one template would share it, so each copy draws its own as a migrated database would.
 */
async function newEpoch(db: Database): Promise<void> {
  await db.sql.exec(`UPDATE "RosterVersion" SET "epoch" = md5(random()::text || clock_timestamp()::text) WHERE "id" = 1`);
}

/** Names the current migrations, the runner that applies them and the PGlite build that writes the images. */
async function templateKey(): Promise<string> {
  const migrations = await readMigrations();
  const runner = await readFile(new URL("../../src/data/migrate.ts", import.meta.url), "utf8");
  // The package does not export its package.json; it sits one folder above the entry point.
  const manifest = new URL("../package.json", import.meta.resolve("@electric-sql/pglite"));
  const pgliteVersion = (JSON.parse(await readFile(manifest, "utf8")) as { version: string }).version;
  const hash = createHash("sha256").update(`pglite ${pgliteVersion}\n`).update(runner);
  for (const m of migrations) hash.update(`${m.name} ${m.checksum}\n`);
  return hash.digest("hex").slice(0, 16);
}

// Per test process, the templates are looked up (or built) once; the promise is the memo.
let pgliteImagesOnce: Promise<{ empty: Blob; migrated: Blob }> | undefined;
let postgresTemplateOnce: Promise<string> | undefined;

function pgliteImages(): Promise<{ empty: Blob; migrated: Blob }> {
  pgliteImagesOnce ??= loadOrBuildPGliteImages().catch((e: unknown) => {
    pgliteImagesOnce = undefined;
    throw e;
  });
  return pgliteImagesOnce;
}

/**
 * Images of a just-initialised and of a migrated PGlite data directory. Workers starting at once
 * may both build them; each writes a private file and renames it, so a reader never sees half.
 */
async function loadOrBuildPGliteImages(): Promise<{ empty: Blob; migrated: Blob }> {
  const dir = path.join(os.tmpdir(), "kpi-bot-test-templates");
  const key = await templateKey();
  const files = { empty: path.join(dir, `pglite-${key}-empty.tar`), migrated: path.join(dir, `pglite-${key}-migrated.tar`) };
  try {
    const [empty, migrated] = await Promise.all([readFile(files.empty), readFile(files.migrated)]);
    return { empty: new Blob([empty]), migrated: new Blob([migrated]) };
  } catch {
    // Not built yet (or removed): build below.
  }
  const lite = new PGlite();
  const db = await pgliteDatabase(lite, "memory");
  try {
    const empty = await lite.dumpDataDir("none");
    await applyMigrations(db.sql);
    const migrated = await lite.dumpDataDir("none");
    await mkdir(dir, { recursive: true });
    for (const [file, blob] of [[files.empty, empty], [files.migrated, migrated]] as const) {
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
      await writeFile(tmp, new Uint8Array(await blob.arrayBuffer()));
      await rename(tmp, file).catch(async (e: unknown) => {
        await rm(tmp, { force: true });
        throw e;
      });
    }
    return { empty, migrated };
  } finally {
    await db.close();
  }
}

function postgresTemplate(): Promise<string> {
  postgresTemplateOnce ??= ensurePostgresTemplate().catch((e: unknown) => {
    postgresTemplateOnce = undefined;
    throw e;
  });
  return postgresTemplateOnce;
}

// Any constant: it only serialises test processes building the same template.
const TEMPLATE_LOCK_KEY = 72_160_512;

/**
 * The migrated template database, built by the first process that needs it (others wait on an
 * advisory lock). It is marked a template and closed to connections only once complete, so a
 * build that died half-way is recognised and redone; nobody connected means copies never fail.
 */
async function ensurePostgresTemplate(): Promise<string> {
  const name = `kpi_template_${await templateKey()}`;
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    const ready = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate AND NOT datallowconn`, [name]);
    if (ready.rowCount === 0) {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${name}`);
      const db = await openDatabase({ kind: "postgres", url: databaseUrl(name) });
      await db.close();
      await client.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    }
    return name;
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
