/**
 * The words people read for the API's codes: enumeration values, the fields history names,
 * and the kinds of record. The one place the app turns a code into text; `humanize` is the
 * fallback for a code that has no word of its own yet.
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

/** Fields as history names them (the API's paths), in words. */
const FIELD_LABELS: Record<string, string> = {
  customerNumber: "Customer number",
  name: "Name",
  kind: "Type",
  segment: "Segment",
  description: "Description",
  status: "Status",
  email: "Email",
  phone: "Phone",
  contactTitle: "Contact title",
  contactName: "Contact name",
  title: "Title",
  isPrimary: "Primary contact",
  paymentTerms: "Payment terms",
  currency: "Currency",
  sharedFolderUrl: "Shared folder",
  notes: "Notes",
  vatId: "VAT ID",
  taxId: "Tax ID",
  createdOn: "Created on",
  ownerId: "Owner",
  managerId: "Manager",
  tags: "Tags",
  "address.street1": "Street",
  "address.street2": "Street (line 2)",
  "address.city": "City",
  "address.region": "Region",
  "address.postalCode": "Postal code",
  "address.country": "Country",
  "billingAddress.street1": "Billing street",
  "billingAddress.street2": "Billing street (line 2)",
  "billingAddress.city": "Billing city",
  "billingAddress.region": "Billing region",
  "billingAddress.postalCode": "Billing postal code",
  "billingAddress.country": "Billing country",
  "billingContact.name": "Billing contact",
  "billingContact.email": "Billing email",
  "billingContact.phone": "Billing phone",
  serialNumber: "Serial number",
  siteId: "Site",
  ownerCustomerId: "Owned by",
  assetId: "Asset",
  projectId: "Project",
  number: "Number",
  startDate: "Start date",
  endDate: "End date",
  "value.amount": "Value",
  "value.currency": "Currency",
  "amount.amount": "Amount",
  "amount.currency": "Currency",
  "total.amount": "Total",
  "total.currency": "Currency",
  "rate.amount": "Rate",
  "rate.currency": "Currency",
  "unitPrice.amount": "Unit price",
  "unitPrice.currency": "Currency",
  ratePeriod: "Billed",
  stage: "Stage",
  expectedCloseOn: "Expected to close",
  orderedOn: "Ordered on",
  issuedOn: "Issued on",
  dueOn: "Due on",
  paidOn: "Paid on",
  scheduledOn: "Scheduled on",
  subject: "Subject",
  priority: "Priority",
  closedAt: "Closed",
  productCode: "Product code",
  productName: "Product",
  validFrom: "Valid from",
  validTo: "Valid to",
};

/** "billingAddress.postalCode" → "Billing postal code"; an unknown path in plain words. */
export function fieldLabel(path: string): string {
  const known = FIELD_LABELS[path];
  if (known) return known;
  const last = path.split(".").at(-1) ?? path;
  const words = last.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
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

export function recordNoun(entityType: string): string {
  return RECORD_NOUNS[entityType] ?? fieldLabel(entityType).toLowerCase();
}

const NUMBER = new Intl.NumberFormat("en-US");

/** "1 task", "2 tasks", "1,250 customers"; `many` when adding an s will not do. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${NUMBER.format(count)} ${count === 1 ? one : many}`;
}
