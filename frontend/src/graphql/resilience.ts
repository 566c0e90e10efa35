import { notifications } from "@mantine/notifications";
import type { DocumentNode } from "graphql";
import {
  type Client,
  type CombinedError,
  type Exchange,
  makeOperation,
  mapExchange,
  type Operation,
} from "urql";
import { connection, UNREACHABLE } from "./connection";

function operationName(query: DocumentNode): string | undefined {
  for (const definition of query.definitions) {
    if (definition.kind === "OperationDefinition") return definition.name?.value;
  }
  return undefined;
}

/** "ArchiveCustomer" → "Archive customer". */
export function actionLabel(name: string | undefined): string {
  if (!name) return "The change";
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What a person reads for a request the network failed: never "[Network] Failed to fetch". */
export function networkFailure(error: CombinedError): string {
  const status = error.response?.status as number | undefined;
  if (status === undefined || status === 502 || status === 503 || status === 504) {
    return UNREACHABLE;
  }
  return `The server could not answer (error ${status}). Try again in a moment.`;
}

/**
 * Watches the app's requests: remembers the queries on screen and runs them again when the
 * server answers after being unreachable; words a network failure for people; says when a
 * change could not be sent.
 */
export function watchConnection(): { exchange: Exchange; attach: (client: Client) => void } {
  const onScreen = new Map<number, Operation>();
  let client: Client | null = null;

  connection.onReconnect(() => {
    if (client === null) return;
    for (const operation of onScreen.values()) {
      client.reexecuteOperation(
        makeOperation("query", operation, { ...operation.context, requestPolicy: "network-only" }),
      );
    }
  });

  const exchange = mapExchange({
    onOperation(operation) {
      if (operation.kind === "query") onScreen.set(operation.key, operation);
      else if (operation.kind === "teardown") onScreen.delete(operation.key);
    },
    onResult(result) {
      const error = result.error;
      if (!error?.networkError) return;
      error.message = networkFailure(error);
      if (result.operation.kind === "mutation") {
        notifications.show({
          id: `failed-${result.operation.key}`,
          color: "red",
          title: `${actionLabel(operationName(result.operation.query))} failed`,
          message: `${error.message.split(". ")[0]}, so this change may not have been saved. Try again once the connection is back.`,
          autoClose: false,
        });
      }
    },
  });

  return {
    exchange,
    attach: (attached) => {
      client = attached;
    },
  };
}
