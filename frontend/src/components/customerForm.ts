/** The customer's fields, once, for the add and the edit form alike. */
import type { Option, Row, Values } from "./form/spec";

const choices = (pairs: [string, string][]): Option[] =>
  pairs.map(([value, label]) => ({ value, label }));

const KINDS = choices([
  ["COMPANY", "Company"],
  ["INDIVIDUAL", "Individual"],
]);
const SEGMENTS = choices([
  ["ENTERPRISE", "Enterprise"],
  ["SMB", "SMB"],
  ["STARTUP", "Startup"],
]);
const PAYMENT_TERMS = choices([
  ["DUE_ON_RECEIPT", "Due on receipt"],
  ["NET_15", "Net 15 days"],
  ["NET_30", "Net 30 days"],
  ["NET_45", "Net 45 days"],
  ["NET_60", "Net 60 days"],
  ["NET_90", "Net 90 days"],
]);

const ADDRESS = [
  ["street1", "Street line 1"],
  ["street2", "Street line 2"],
  ["city", "City"],
  ["region", "Region"],
  ["postalCode", "Postal code"],
  ["country", "Country"],
] as const;

type AddressPart = (typeof ADDRESS)[number][0];
type Address = Partial<Record<AddressPart, string | null>>;

function addressRows(prefix: "" | "billing", path: string): Row[] {
  const field = (part: AddressPart, label: string) => ({
    name: prefix ? `${prefix}${part.charAt(0).toUpperCase()}${part.slice(1)}` : part,
    label: prefix ? `Billing ${label.toLowerCase()}` : label,
    kind: "text" as const,
    path: `${path}.${part}`,
    ...(part === "country" ? { description: "Two letters, such as US" } : {}),
  });
  return [
    field("street1", "Street line 1"),
    field("street2", "Street line 2"),
    [field("city", "City"), field("region", "Region")],
    [field("postalCode", "Postal code"), field("country", "Country")],
  ];
}

/** The form's rows; ``known`` labels the owner and manager already chosen. */
export function customerRows({
  creating,
  known = [],
}: {
  creating: boolean;
  known?: Option[];
}): Row[] {
  const person = creating ? { placeholder: "Me" } : { required: true };
  return [
    { name: "name", label: "Name", kind: "text", required: true },
    [
      {
        name: "customerNumber",
        label: "Customer ID",
        kind: "text",
        ...(creating
          ? { description: "Leave empty for the next free number" }
          : { required: true }),
      },
      { name: "kind", label: "Type", kind: "select", options: KINDS },
      { name: "segment", label: "Segment", kind: "select", options: SEGMENTS },
    ],
    [
      { name: "ownerId", label: "Owner", kind: "user", known, ...person },
      { name: "managerId", label: "Account manager", kind: "user", known, ...person },
    ],
    { name: "description", label: "Description", kind: "textarea" },
    { section: "Contact" },
    [
      { name: "email", label: "Email", kind: "email" },
      { name: "phone", label: "Phone", kind: "text" },
      { name: "contactTitle", label: "Contact title", kind: "text" },
    ],
    { section: "Address" },
    ...addressRows("", "address"),
    { section: "Billing" },
    [
      { name: "billingName", label: "Billing contact", kind: "text", path: "billingContact.name" },
      {
        name: "billingEmail",
        label: "Billing email",
        kind: "email",
        path: "billingContact.email",
      },
      {
        name: "billingPhone",
        label: "Billing phone",
        kind: "text",
        path: "billingContact.phone",
      },
    ],
    ...addressRows("billing", "billingAddress"),
    [
      { name: "paymentTerms", label: "Payment terms", kind: "select", options: PAYMENT_TERMS },
      {
        name: "currency",
        label: "Currency",
        kind: "text",
        description: "Three letters, such as USD",
        required: true,
      },
    ],
    [
      { name: "vatId", label: "VAT ID", kind: "text" },
      { name: "taxId", label: "Tax ID", kind: "text" },
    ],
    { section: "More" },
    [
      { name: "sharedFolderUrl", label: "Shared folder", kind: "text" },
      {
        name: "createdOn",
        label: "Date created",
        kind: "date",
        ...(creating ? { description: "Today when left empty" } : { required: true }),
      },
    ],
    { name: "tags", label: "Tags", kind: "tags" },
    { name: "notes", label: "Notes", kind: "textarea" },
  ];
}

/** A customer as the edit form reads it. */
export interface EditableCustomer {
  id: string;
  version: number;
  name: string;
  customerNumber: string;
  kind: string;
  segment: string;
  description?: string | null;
  email?: string | null;
  phone?: string | null;
  contactTitle?: string | null;
  paymentTerms: string;
  currency?: string | null;
  vatId?: string | null;
  taxId?: string | null;
  sharedFolderUrl?: string | null;
  notes?: string | null;
  createdOn: string;
  tags: readonly string[];
  owner: { id: string; name: string };
  manager: { id: string; name: string };
  address: Address;
  billingContact: { name?: string | null; email?: string | null; phone?: string | null };
  billingAddress: Address;
}

const NEW: Values = {
  name: "",
  customerNumber: "",
  kind: "COMPANY",
  segment: "SMB",
  ownerId: "",
  managerId: "",
  description: "",
  email: "",
  phone: "",
  contactTitle: "",
  ...Object.fromEntries(ADDRESS.map(([part]) => [part, ""])),
  billingName: "",
  billingEmail: "",
  billingPhone: "",
  ...Object.fromEntries(
    ADDRESS.map(([part]) => [`billing${part.charAt(0).toUpperCase()}${part.slice(1)}`, ""]),
  ),
  paymentTerms: "NET_30",
  currency: "USD",
  vatId: "",
  taxId: "",
  sharedFolderUrl: "",
  createdOn: "",
  tags: [],
  notes: "",
};

export const newCustomerValues = (): Values => ({ ...NEW });

export function customerValues(customer: EditableCustomer): Values {
  const billing = (part: AddressPart) => customer.billingAddress[part] ?? "";
  return {
    name: customer.name,
    customerNumber: customer.customerNumber,
    kind: customer.kind,
    segment: customer.segment,
    ownerId: customer.owner.id,
    managerId: customer.manager.id,
    description: customer.description ?? "",
    email: customer.email ?? "",
    phone: customer.phone ?? "",
    contactTitle: customer.contactTitle ?? "",
    ...Object.fromEntries(ADDRESS.map(([part]) => [part, customer.address[part] ?? ""])),
    billingName: customer.billingContact.name ?? "",
    billingEmail: customer.billingContact.email ?? "",
    billingPhone: customer.billingContact.phone ?? "",
    ...Object.fromEntries(
      ADDRESS.map(([part]) => [
        `billing${part.charAt(0).toUpperCase()}${part.slice(1)}`,
        billing(part),
      ]),
    ),
    paymentTerms: customer.paymentTerms,
    currency: customer.currency ?? "",
    vatId: customer.vatId ?? "",
    taxId: customer.taxId ?? "",
    sharedFolderUrl: customer.sharedFolderUrl ?? "",
    createdOn: customer.createdOn,
    tags: [...customer.tags],
    notes: customer.notes ?? "",
  };
}

export const knownPeople = (customer: EditableCustomer): Option[] => [
  { value: customer.owner.id, label: customer.owner.name },
  { value: customer.manager.id, label: customer.manager.name },
];
