import { cacheExchange } from "@urql/exchange-graphcache";
import { persistedExchange } from "@urql/exchange-persisted";
import type { DocumentNode } from "graphql";
import { createClient as createSocket } from "graphql-ws";
import { Client, fetchExchange, subscriptionExchange } from "urql";
import { currentCsrfToken } from "../auth/session";

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

export function createGraphqlClient(): Client {
  const socket = createSocket({
    url: socketUrl(),
    lazy: true,
    retryAttempts: 20,
    jsonMessageReplacer: withoutEmptyQuery,
  });
  return new Client({
    url: "/graphql",
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
