import { defineConfig } from "vitest/config";

// Unit tests of the app's pure helpers (part of `npm test`); the browser tests have their own config.
export default defineConfig({
  test: { include: ["src/**/*.test.ts"] },
});
