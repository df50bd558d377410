import { defineConfig } from "tsup";

export default defineConfig({
  // `@tessera/sdk` and `@tessera/sdk/react`; the router's types end up in a chunk both declaration files share.
  entry: ["src/index.ts", "src/react.ts"],
  format: ["esm", "cjs"],
  // Declarations are bundled by rollup-plugin-dts; @trpc/*, @tanstack/react-query and eventsource stay imports
  // (peer dependencies, and a dependency). See src/router.ts for how the router type gets into the bundle without
  // anything from this repository.
  dts: { compilerOptions: { lib: ["ES2022", "DOM"], types: [] } },
  clean: true,
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  treeshake: true,
});
