/**
 * The words people read for the API's codes: enumeration values and the kinds of record.
 * The one place the app turns a code into text (the fields history names come with their
 * words from the API, as `FieldChange.label`); a code with no word of its own yet reads as
 * itself in plain words.
 */

const ENUM_LABELS: Record<string, string> = {
  SMB: "SMB",
  ENTERPRISE: "Enterprise",
  STARTUP: "Startup",
  COMPANY: "Company",
  INDIVIDUAL: "Individual",
  DUE_ON_RECEIPT: "Due on receipt",
  NET_15: "Net 15 days",
  NET_30: "Net 30 days",
  NET_45: "Net 45 days",
  NET_60: "Net 60 days",
  NET_90: "Net 90 days",
  IN_SERVICE: "In service",
  IN_REPAIR: "In repair",
  OUT_OF_SERVICE: "Out of service",
  ON_HOLD: "On hold",
  IN_PROGRESS: "In progress",
  SALES_MANAGER: "Sales manager",
  SALES_REP: "Sales rep",
};

/** "ACTIVE" → "Active", "SMB" → "SMB", "NET_30" → "Net 30 days". */
export function enumLabel(value: string): string {
  const known = ENUM_LABELS[value];
  if (known) return known;
  const words = value.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Fields whose values are codes of an enumeration, shown by their labels. */
const ENUM_FIELDS = new Set([
  "kind",
  "segment",
  "status",
  "paymentTerms",
  "stage",
  "priority",
  "ratePeriod",
]);

export function isEnumField(path: string): boolean {
  return ENUM_FIELDS.has(path);
}

/** The kinds of record history speaks of, as a noun in a sentence. */
const RECORD_NOUNS: Record<string, string> = {
  Customer: "the customer",
  Contact: "contact",
  Site: "site",
  Project: "project",
  Asset: "asset",
  Contract: "contract",
  WorkOrder: "work order",
  Task: "task",
  Lease: "lease",
  Opportunity: "opportunity",
  Order: "order",
  Invoice: "invoice",
  SupportTicket: "ticket",
  PriceSchedule: "price",
};

/** "the customer", "work order"; an unknown kind in plain words ("SpareKit" → "spare kit"). */
export function recordNoun(entityType: string): string {
  return (
    RECORD_NOUNS[entityType] ?? entityType.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase()
  );
}

const NUMBER = new Intl.NumberFormat("en-US");

/** "1 task", "2 tasks", "1,250 customers"; `many` when adding an s will not do. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${NUMBER.format(count)} ${count === 1 ? one : many}`;
}
