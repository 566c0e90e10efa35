import type { CodegenConfig } from "@graphql-codegen/cli";
import { formatDocument } from "@urql/core";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "./src/gql/": {
      preset: "client",
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { Date: "string", DateTime: "string", Decimal: "string", JSON: "unknown" },
      },
      presetConfig: {
        fragmentMasking: false,
        // Trusted documents: every operation gets `__meta__.hash` (sha256 of its text) and
        // src/gql/persisted-documents.json maps each hash to its text; the build ships that
        // manifest to the server, and the browser sends only the hash.
        persistedDocuments: {
          mode: "embedHashInDocument",
          hashPropertyName: "hash",
          hashAlgorithm: "sha256",
        },
      },
      // The server runs the manifest's text, so it must be what graphcache would send:
      // urql's own formatDocument adds __typename to every selection but the operation root.
      documentTransforms: [
        {
          transform: ({ documents }) =>
            documents.map((source) => ({
              ...source,
              document: source.document && formatDocument(source.document),
            })),
        },
      ],
    },
  },
};

export default config;
