import { readFileSync } from "node:fs";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const server = "http://127.0.0.1:8000";

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

export default defineConfig({
  plugins: [react(), trustedDocuments()],
  build: {
    outDir: "../src/customer_graph/web/static",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      "/graphql": { target: server, ws: true },
      "/auth": server,
      "/export": server,
      "/import": server,
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test-setup.ts"],
  },
});
