import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

/** Test files (relative paths) that replace modules or globals: they need a process of their own. */
function filesNeedingIsolation(): string[] {
  return readdirSync(path.join(root, "test"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => path.join("test", f).split(path.sep).join("/"))
    .filter((f) => /\bvi\.(mock|doMock|stubEnv|stubGlobal|useFakeTimers)\(/.test(readFileSync(path.join(root, f), "utf8")));
}

const isolated = filesNeedingIsolation();

export default defineConfig({
  test: {
    // PGlite starts a whole Postgres in WASM (~2 s); database suites need room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Database files spend much of their time waiting on PostgreSQL or a CLI subprocess, so one
    // worker per core (vitest's default leaves one core free: a single worker on two cores).
    maxWorkers: Math.max(2, os.availableParallelism()),
    projects: [
      {
        extends: true,
        // Workers run file after file in one process: modules (Prisma, Bolt, botbuilder, PGlite's
        // WASM) load once per worker, not once per file. Tests share no state through modules.
        test: { name: "shared", include: ["test/**/*.test.ts"], exclude: isolated, isolate: false },
      },
      // Files that mock a module get a fresh process each (a mock must not leak into other files).
      ...(isolated.length > 0 ? [{ extends: true as const, test: { name: "isolated", include: isolated, isolate: true } }] : []),
    ],
  },
});
