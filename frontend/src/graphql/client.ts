import { cacheExchange } from "@urql/exchange-graphcache";
import { persistedExchange } from "@urql/exchange-persisted";
import { retryExchange } from "@urql/exchange-retry";
import type { DocumentNode } from "graphql";
import { createClient as createSocket } from "graphql-ws";
import { Client, fetchExchange, subscriptionExchange } from "urql";
import { currentCsrfToken } from "../auth/session";
import { backoff, connection } from "./connection";
import { watchConnection } from "./resilience";

/** Types without an id live inside their parent in the normalized cache. */
const embedded = [
  "Address",
  "AssetSummary",
  "BillingContact",
  "BillingSummary",
  "CustomerEvent",
  "CustomerPayload",
  "DeactivateCustomerPayload",
  "DeactivationCascade",
  "DeleteCustomerPayload",
  "FieldChange",
  "Money",
  "NewSiteValues",
  "PageInfo",
  "ProjectSummary",
  "SiteSummary",
  "TagCount",
  "UserError",
  "Viewer",
];

const listChangingMutations = [
  "createCustomer",
  "deleteCustomer",
  "archiveCustomer",
  "unarchiveCustomer",
  "deactivateCustomer",
  "reactivateCustomer",
];

function socketUrl(): string {
  const protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${protocol}//${window.location.host}/graphql`;
}

/**
 * Trusted documents: codegen gives every operation `__meta__.hash` ("sha256:<hex>" of the
 * text the build registers with the server); the browser sends only that hash.
 */
async function trustedHash(_query: string, document: DocumentNode): Promise<string> {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) {
    throw new Error(
      "A GraphQL document without a trusted hash: write it with graphql() from gql/.",
    );
  }
  return hash.replace(/^sha256:/, "");
}

/**
 * graphql-ws insists that a subscribe message has a `query` string: the exchange leaves it
 * empty for a document sent by hash, and this drops it from the message on the wire.
 */
function withoutEmptyQuery(this: unknown, key: string, value: unknown): unknown {
  const holder = this as { extensions?: { persistedQuery?: unknown } } | null;
  return key === "query" && value === "" && holder?.extensions?.persistedQuery ? undefined : value;
}

/**
 * The wait before the live connection's next attempt: the same backoff as the app's checks
 * of the server, cut short as soon as one of them finds it answering again.
 */
function socketRetryWait(retries: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop();
      resolve();
    };
    const timer = setTimeout(done, backoff(retries));
    const stop = connection.onReconnect(done);
  });
}

/** Server answers that mean the request did not reach the app (a proxy in front said so). */
const NOT_REACHED = new Set([502, 503]);

/** fetch, telling the connection state whether the server answered. */
async function watchedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  try {
    const response = await fetch(input, init);
    if (NOT_REACHED.has(response.status)) connection.lost();
    else connection.reached();
    return response;
  } catch (error) {
    connection.lost();
    throw error;
  }
}

export function createGraphqlClient(): Client {
  const socket = createSocket({
    url: socketUrl(),
    lazy: true,
    // Live updates never give up: they come back by themselves once the server does.
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: socketRetryWait,
    shouldRetry: () => true,
    on: {
      connected: (_socket, _payload, wasRetry) => {
        if (wasRetry) connection.resubscribed();
      },
      closed: (event) => {
        const code = (event as { code?: number } | undefined)?.code;
        if (code !== 1000) connection.lost();
      },
    },
    jsonMessageReplacer: withoutEmptyQuery,
  });
  const resilience = watchConnection();
  const client = new Client({
    url: "/graphql",
    fetch: watchedFetch,
    fetchOptions: (): RequestInit => {
      const csrf = currentCsrfToken();
      const headers: Record<string, string> = csrf ? { "X-CSRF-Token": csrf } : {};
      return { credentials: "include", headers };
    },
    exchanges: [
      cacheExchange({
        keys: {
          ...Object.fromEntries(embedded.map((name) => [name, () => null])),
          ...connectionKeys(),
        },
        updates: {
          Mutation: Object.fromEntries(
            listChangingMutations.map((name) => [
              name,
              (_result, _args, cache) => {
                for (const field of cache.inspectFields("Query")) {
                  if (field.fieldName === "customers") {
                    cache.invalidate("Query", field.fieldName, field.arguments);
                  }
                }
              },
            ]),
          ),
        },
      }),
      resilience.exchange,
      retryExchange({
        // A blip of a second or two passes unseen; a longer outage shows, and the page is
        // refreshed once the server answers again (connection.ts).
        initialDelayMs: 300,
        maxDelayMs: 2000,
        randomDelay: true,
        maxNumberAttempts: 3,
        // A query is safe to repeat; a change only when the server surely did not get it.
        retryIf: (error, operation) =>
          error.networkError !== undefined &&
          (operation.kind === "query" ||
            (operation.kind === "mutation" && NOT_REACHED.has(error.response?.status ?? 0))),
      }),
      persistedExchange({
        generateHash: trustedHash,
        enforcePersistedQueries: true,
        enableForMutation: true,
        enableForSubscriptions: true,
        preferGetForPersistedQueries: false,
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: socket.subscribe({ ...request, query: request.query ?? "" }, sink),
          }),
        }),
      }),
    ],
  });
  resilience.attach(client);
  return client;
}

function connectionKeys(): Record<string, () => null> {
  const nodes = [
    "Asset",
    "Contact",
    "Contract",
    "Customer",
    "HistoryEvent",
    "Invoice",
    "Lease",
    "Opportunity",
    "Order",
    "PriceSchedule",
    "Project",
    "Site",
    "SupportTicket",
    "TagCount",
    "Task",
    "User",
    "WorkOrder",
  ];
  return Object.fromEntries(
    nodes.flatMap((node) => [
      [`${node}Connection`, () => null],
      [`${node}Edge`, () => null],
    ]),
  );
}
