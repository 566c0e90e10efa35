import { List, Text } from "@mantine/core";
import { enumLabel, isEnumField, recordNoun } from "../../lib/labels";
import { emptyText, TabToolbar, useTabPage } from "./TabPage";
import { CustomerHistoryTab } from "./tabQueries";
import type { Customer, Nodes } from "./types";

type Event = Nodes<"history">;
type Change = Event["changes"][number];

const VERBS: Record<string, string> = {
  CREATED: "added",
  UPDATED: "changed",
  DELETED: "removed",
  DEACTIVATED: "deactivated",
  REACTIVATED: "reactivated",
  ARCHIVED: "archived",
  UNARCHIVED: "unarchived",
  CANCELLED: "cancelled",
};

/** The fields that name a record, for one that has since been removed. */
const NAMING_FIELDS = ["name", "number", "title", "subject", "productCode"];

/** A value of a field as people read it: labels for codes, Yes/No, lists joined. */
export function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.length ? value.map(String).join(", ") : "—";
  if (typeof value === "string" && isEnumField(field)) return enumLabel(value);
  return String(value);
}

/** "Dana Whitfield changed site North Depot", "Riley Carter added the customer". */
export function eventSentence(event: Event): string {
  const verb = VERBS[event.action] ?? enumLabel(event.action).toLowerCase();
  const noun = recordNoun(event.entityType);
  if (event.entityType === "Customer") return `${event.actorName} ${verb} ${noun}`;
  const named = event.changes.find((change) => NAMING_FIELDS.includes(change.field));
  const name = event.entityName ?? (named ? String(named.before ?? named.after ?? "") : "");
  return `${event.actorName} ${verb} ${noun}${name ? ` ${name}` : ""}`;
}

/** "Segment: SMB → Enterprise"; a new record's field as its value alone, a removed one's too. */
export function changeText(event: Event, change: Change): string {
  const { label } = change;
  const before = change.beforeName ?? valueText(change.field, change.before);
  const after = change.afterName ?? valueText(change.field, change.after);
  if (event.action === "CREATED") return `${label}: ${after}`;
  if (event.action === "DELETED") return `${label}: ${before}`;
  return `${label}: ${before} → ${after}`;
}

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** The customer's history, newest first, a page at a time, searched by who, what or a value. */
export function HistoryTimeline({
  customer,
  refreshKey,
}: {
  customer: Customer;
  refreshKey: number;
}) {
  const tab = useTabPage(
    CustomerHistoryTab,
    customer.id,
    (data) => data.customer?.history,
    refreshKey,
  );
  const events = tab.page?.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <TabToolbar tab={tab} noun="history" />
      {tab.error && (
        <Text c="red" size="sm" role="alert">
          {tab.error}
        </Text>
      )}
      {tab.page && events.length === 0 && (
        <Text c="dimmed">{tab.search ? emptyText(tab, "events") : "No changes recorded yet."}</Text>
      )}
      <List spacing="sm" aria-label="Change history" listStyleType="none">
        {events.map((event) => (
          <List.Item key={event.id}>
            <Text size="sm" fw={600}>
              {eventSentence(event)}
            </Text>
            <Text size="xs" c="dimmed">
              {WHEN.format(new Date(event.occurredAt))}
            </Text>
            {event.changes.map((change) => (
              <Text size="sm" key={change.field}>
                {changeText(event, change)}
              </Text>
            ))}
          </List.Item>
        ))}
      </List>
    </>
  );
}
