import { defineConfig } from "vitest/config";

// System tests over time (DESIGN.md section 5): each file starts a stack as the README does and
// waits on its own pg_cron schedule, so they take minutes and run beside the other suites.
export default defineConfig({
  test: {
    include: ["tests/system/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
