import type { ProxyOptions } from "vite";
import table from "./dev-proxy.json" with { type: "json" };

/** The variable that names the backend the dev server sends API requests to. */
export const BACKEND_VARIABLE = "CUSTOMER_GRAPH_BACKEND";
export const DEFAULT_BACKEND = "http://127.0.0.1:8000";

/** Every path the backend serves (dev-proxy.json, checked against its routes by a test). */
export const BACKEND_PATHS: readonly string[] = table.paths;

/** GraphiQL's page is an entry of this build: the dev server serves it from source. */
const GRAPHIQL_PAGE = "/graphiql.html";

/**
 * The dev server's proxy table: every backend path to `backend` (a WebSocket for /graphql's
 * live updates), the Host header kept so that the backend's same-origin checks see the page's
 * own origin. A browser opening /graphql as a page gets GraphiQL from the dev server.
 */
export function devProxy(backend: string): Record<string, ProxyOptions> {
  return Object.fromEntries(
    BACKEND_PATHS.map((path) => [
      path,
      {
        target: backend,
        ws: path === "/graphql",
        bypass:
          path === "/graphql"
            ? (request) =>
                request.method === "GET" &&
                (request.headers.accept ?? "").includes("text/html") &&
                !(request.url ?? "").includes("extensions=")
                  ? GRAPHIQL_PAGE
                  : undefined
            : undefined,
      } satisfies ProxyOptions,
    ]),
  );
}

/** The backend address: $CUSTOMER_GRAPH_BACKEND, or the one `make run` serves on. */
export function backendAddress(environment: Record<string, string | undefined>): string {
  const chosen = environment[BACKEND_VARIABLE]?.trim();
  return chosen ? chosen.replace(/\/+$/, "") : DEFAULT_BACKEND;
}
