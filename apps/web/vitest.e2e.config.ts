import { defineConfig } from "vitest/config";

// Browser tests (`npm run test:e2e` at the root): one server for the run, one Chromium per file, files in turn
// (CI machines have 2 cores). Not part of `npm test`: a fresh machine may have no Chromium yet.
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
