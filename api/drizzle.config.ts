import { defineConfig } from "drizzle-kit";

// `npx drizzle-kit generate` (from api/) writes SQL migrations to drizzle/ from the schema; they are
// committed and applied by src/db/migrate.ts. `push` is never used against a real database.
export default defineConfig({
  dialect: "mysql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
});
