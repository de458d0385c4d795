import { defineConfig } from "vitest/config";

// Two projects: fast pure unit tests, and integration tests that boot the app on a real
// database (PGlite by default; PostgreSQL when TEST_DB=postgres and TEST_DATABASE_URL are set).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
          exclude: ["src/**/*.integration.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["src/**/*.integration.test.ts", "tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          maxWorkers: 2,
          // Every file boots its own app on its own database, so files share nothing but the
          // module cache: not re-importing the app for each of ~100 files saves minutes.
          isolate: false,
        },
      },
    ],
  },
});
