import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The system tests start a stack of their own and run beside these (vitest.system.config.ts).
    exclude: ["tests/system/**", "**/node_modules/**"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration files share one database and functions runtime.
    fileParallelism: false,
  },
});
