// The CLI is only used for `prisma generate` here (migrations run through src/data/migrate.ts,
// offline); the datasource URL lives in the app's own config, not here.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
