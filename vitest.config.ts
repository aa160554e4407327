import { defineConfig } from "vitest/config";

// One runner for the whole repository: the generator (modules, envs, bootstrap, chart checks) and
// the API workspace, whose own config starts throwaway MariaDB and Redis servers.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "generator",
          include: [
            "modules/**/*.test.ts",
            "envs/**/*.test.ts",
            "bootstrap/**/*.test.ts",
            "kit/**/*.test.ts",
            "stacks/**/*.test.ts",
            "scripts/**/*.test.ts",
            "policy/**/*.test.ts",
            "cost/**/*.test.ts",
            "helm/**/*.test.ts",
            "test/**/*.test.ts",
          ],
          setupFiles: ["./test/setup-cdktf.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      "./api",
    ],
  },
});
