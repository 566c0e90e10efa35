import { describe, expect, it } from "vitest";
import { changeText, eventSentence } from "./HistoryTimeline";
import type { Nodes } from "./types";

type Event = Nodes<"history">;

function event(action: Event["action"], entityType: string, changes: Event["changes"]): Event {
  return {
    __typename: "HistoryEvent",
    id: "SGlzdG9yeUV2ZW50OjE=",
    occurredAt: "2026-01-15T12:00:00Z",
    action,
    entityType,
    entityName: null,
    actorName: "Dana Whitfield",
    changes,
  };
}

function change(field: string, label: string, before: unknown, after: unknown) {
  return {
    __typename: "FieldChange" as const,
    field,
    label,
    before,
    after,
    beforeName: null,
    afterName: null,
  };
}

describe("a history entry", () => {
  it("names each field in the words the API gives it", () => {
    const city = change("billingAddress.city", "Billing city", null, "Paris");
    const updated = event("UPDATED", "Customer", [city]);
    expect(changeText(updated, city)).toBe("Billing city: — → Paris");
    const terms = change("paymentTerms", "Payment terms", "NET_30", "NET_60");
    expect(changeText(updated, terms)).toBe("Payment terms: Net 30 days → Net 60 days");
  });

  it("shows a new record's fields by their values alone", () => {
    const value = change("value.amount", "Value", null, "1200.50");
    expect(changeText(event("CREATED", "Contract", [value]), value)).toBe("Value: 1200.50");
  });

  it("speaks of a kind of record it has no noun for in plain words", () => {
    const name = change("name", "Name", null, "Kit A");
    expect(eventSentence(event("CREATED", "SpareKit", [name]))).toBe(
      "Dana Whitfield added spare kit Kit A",
    );
  });
});
