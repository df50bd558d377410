import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // Declarations are bundled by rollup-plugin-dts; @trpc/* stay imports (they are dependencies). See src/router.ts
  // for how the router type gets into the bundle without anything from this repository.
  dts: { compilerOptions: { lib: ["ES2022"], types: [] } },
  clean: true,
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  treeshake: true,
});
