import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import "./contrast.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createClient } from "graphql-ws";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { currentCsrfToken, fetchSession } from "../auth/session";
import { keepTabsAccessible } from "./accessibleTabs";

/** Requests carry the session's cookie and, as the app's do, its CSRF token. */
function withSession(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  const csrf = currentCsrfToken();
  if (csrf && !headers.has("Authorization")) {
    headers.set("X-CSRF-Token", csrf);
  }
  return fetch(input, { ...init, headers, credentials: "same-origin" });
}

function socketUrl(): string {
  const protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${protocol}//${window.location.host}/graphql`;
}

const root = document.getElementById("graphiql");
if (root === null) {
  throw new Error("graphiql.html has no #graphiql");
}

const fetcher = createGraphiQLFetcher({
  url: "/graphql",
  fetch: withSession,
  enableIncrementalDelivery: false,
  wsClient: createClient({ url: socketUrl(), lazy: true, retryAttempts: 5 }),
});

const DEFAULT_QUERY = `# Queries run as the signed-in user. Press Ctrl+Enter to run one,
# and open the documentation (the book icon) to see every type and field.
{
  viewer { name role }
  customers(first: 5) { totalCount edges { node { customerNumber name status } } }
}
`;

/** A link may carry a query to open: /graphql#query=… (after #: ?query= runs it instead). */
const linked = new URLSearchParams(window.location.hash.slice(1)).get("query") ?? undefined;

// Signed in, GraphiQL runs as the session's user; otherwise a token goes in its Headers tab.
void fetchSession()
  .catch(() => null)
  .then(() => {
    keepTabsAccessible(root);
    createRoot(root).render(
      <StrictMode>
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} initialQuery={linked}>
          <GraphiQL.Logo>customer_graph</GraphiQL.Logo>
        </GraphiQL>
      </StrictMode>,
    );
  });
