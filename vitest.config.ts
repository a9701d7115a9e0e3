import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PGlite starts a whole Postgres in WASM (~2 s); database suites need room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
