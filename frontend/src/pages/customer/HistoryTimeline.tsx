import { Button, List, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { useClient } from "urql";
import { graphql } from "../../gql";
import { humanize } from "../../lib/money";
import type { Customer } from "./types";

const OlderHistory = graphql(`
  query CustomerOlderHistory($id: ID!, $after: String!) {
    customer(id: $id) {
      id
      history(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { id occurredAt action entityType actorName changes { field before after } } }
      }
    }
  }
`);

type Event = Customer["history"]["edges"][number]["node"];

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

/** The customer's history, newest first; older events are fetched a page at a time. */
export function HistoryTimeline({ customer }: { customer: Customer }) {
  const client = useClient();
  const [older, setOlder] = useState<Event[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const first = customer.history;

  // A new first page (a live change, a reload) restarts the older pages from it.
  useEffect(() => {
    setOlder([]);
    setCursor(first.pageInfo.hasNextPage ? (first.pageInfo.endCursor ?? null) : null);
  }, [first]);

  async function loadOlder() {
    if (!cursor) return;
    setLoading(true);
    const result = await client.query(OlderHistory, { id: customer.id, after: cursor }).toPromise();
    setLoading(false);
    const page = result.data?.customer?.history;
    if (!page) {
      setFailure(result.error?.message ?? "Older events could not be loaded.");
      return;
    }
    setFailure(null);
    setOlder((shown) => [...shown, ...page.edges.map((edge) => edge.node)]);
    setCursor(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
  }

  const events = [...first.edges.map((edge) => edge.node), ...older];
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs">
        {events.length} of {first.totalCount} events
      </Text>
      <List spacing="sm" aria-label="Change history">
        {events.map((node) => (
          <List.Item key={node.id}>
            <Text size="sm" fw={600}>
              {new Date(node.occurredAt).toLocaleString()} · {node.actorName} ·{" "}
              {humanize(node.action)} {node.entityType}
            </Text>
            {node.changes.map((change) => (
              <Text size="sm" key={change.field}>
                {change.field}: {formatValue(change.before)} → {formatValue(change.after)}
              </Text>
            ))}
          </List.Item>
        ))}
      </List>
      {failure && (
        <Text c="red" size="sm" role="alert">
          {failure}
        </Text>
      )}
      {cursor && (
        <Button variant="subtle" size="xs" mt="sm" loading={loading} onClick={loadOlder}>
          Load older events
        </Button>
      )}
    </>
  );
}
