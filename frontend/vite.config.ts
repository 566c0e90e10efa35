import { readFileSync } from "node:fs";
import react from "@vitejs/plugin-react";
import { loadEnv, type Plugin } from "vite";
import { defineConfig } from "vitest/config";
import { BACKEND_VARIABLE, backendAddress, devProxy } from "./tooling/devProxy.ts";
import { precompress } from "./tooling/precompress.ts";

/** The trusted documents (hash → text) that codegen wrote ship beside the app's files. */
function trustedDocuments(): Plugin {
  const manifest = "persisted-documents.json";
  return {
    name: "customer-graph-trusted-documents",
    apply: "build",
    generateBundle() {
      this.emitFile({
        type: "asset",
        fileName: manifest,
        source: readFileSync(new URL(`./src/gql/${manifest}`, import.meta.url), "utf8"),
      });
    },
  };
}

export default defineConfig(({ mode }) => {
  // The backend the dev server proxies to: CUSTOMER_GRAPH_BACKEND from the environment or
  // a frontend/.env.local file, else the address `make run` serves on.
  const backend = backendAddress({ ...loadEnv(mode, process.cwd(), BACKEND_VARIABLE), ...process.env });
  return {
    plugins: [react(), trustedDocuments(), precompress()],
    build: {
      outDir: "../src/customer_graph/web/static",
      emptyOutDir: true,
      // The app, and GraphiQL (served at /graphql) built from its npm packages: both load
      // only files of this origin, so both run under the app's Content-Security-Policy.
      rollupOptions: {
        input: {
          app: new URL("./index.html", import.meta.url).pathname,
          graphiql: new URL("./graphiql.html", import.meta.url).pathname,
        },
        onwarn(warning, warn) {
          // GraphiQL's packages mark modules "use no memo" for React's compiler: harmless here.
          if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
        },
      },
      // GraphiQL's editor is large, and loads only at /graphql.
      chunkSizeWarningLimit: 4000,
    },
    server: { proxy: devProxy(backend) },
    // GraphiQL's editor starts its workers with Vite's `?worker` imports, which only Vite's
    // own transform understands: the dev server must not pre-bundle that module.
    optimizeDeps: { exclude: ["graphiql/setup-workers/vite", "@graphiql/react/setup-workers/vite"] },
    test: {
      environment: "jsdom",
      setupFiles: ["./src/test-setup.ts"],
    },
  };
});
