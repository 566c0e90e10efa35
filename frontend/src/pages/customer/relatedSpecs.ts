import type { FieldSpec, Values } from "../../components/form/spec";
import { graphql } from "../../gql";
import type {
  CreateAssetInput,
  CreateContactInput,
  CreateContractInput,
  CreateInvoiceInput,
  CreateLeaseInput,
  CreateOpportunityInput,
  CreateOrderInput,
  CreatePriceScheduleInput,
  CreateProjectInput,
  CreateSiteInput,
  CreateSupportTicketInput,
  CreateWorkOrderInput,
  UpdateAssetInput,
  UpdateContactInput,
  UpdateContractInput,
  UpdateInvoiceInput,
  UpdateLeaseInput,
  UpdateOpportunityInput,
  UpdateOrderInput,
  UpdatePriceScheduleInput,
  UpdateProjectInput,
  UpdateSiteInput,
  UpdateSupportTicketInput,
  UpdateWorkOrderInput,
} from "../../gql/graphql";
import { formatAmountInput } from "../../lib/amounts";
import { humanize } from "../../lib/money";
import type { Customer, Nodes } from "./types";
import type { RelatedSpec } from "./useRelatedEditor";

const optional = (values: Values, name: string): string | null => {
  const value = values[name];
  return typeof value === "string" && value.trim() ? value.trim() : null;
};
const given = (values: Values, name: string): string => optional(values, name) ?? "";
const options = (...values: string[]) => values.map((value) => ({ value, label: humanize(value) }));
const pick = <T extends string>(values: Values, name: string, allowed: readonly T[]): T =>
  allowed.find((item) => item === values[name]) ?? (allowed[0] as T);
const siteOptions = (customer: Customer) =>
  customer.sites.edges.map(({ node }) => ({ value: node.id, label: node.name }));

const text = (name: string, label: string, required = false): FieldSpec => ({
  name,
  label,
  kind: "text",
  required,
});
const date = (name: string, label: string, required = false): FieldSpec => ({
  name,
  label,
  kind: "date",
  required,
});
const amount = (name: string, label: string): FieldSpec => ({
  name: "amount",
  label,
  kind: "amount",
  required: true,
  path: `${name}.amount`,
});
/** A stored amount as the user's locale writes it, to edit. */
const typed = (stored: string | undefined): string =>
  stored === undefined ? "" : formatAmountInput(stored, navigator.language);

const CONTACT = {
  create: graphql(`mutation CreateContact($input: CreateContactInput!) {
    createContact(input: $input) { contact { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateContact($input: UpdateContactInput!) {
    updateContact(input: $input) { contact { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveContact($input: RemoveContactInput!) {
    removeContact(input: $input) { removedContactId userErrors { field code message } } }`),
};

export const contactSpec = {
  ...CONTACT,
  noun: "contact",
  label: (node) => node.name,
  fields: () => [
    text("name", "Name", true),
    text("title", "Title"),
    text("email", "Email"),
    text("phone", "Phone"),
    { name: "isPrimary", label: "Primary contact", kind: "checkbox" },
  ],
  initial: (node) => ({
    name: node?.name ?? "",
    title: node?.title ?? "",
    email: node?.email ?? "",
    phone: node?.phone ?? "",
    isPrimary: node?.isPrimary ?? false,
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    name: given(values, "name"),
    title: optional(values, "title"),
    email: optional(values, "email"),
    phone: optional(values, "phone"),
    isPrimary: values.isPrimary === true,
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    name: given(values, "name"),
    title: optional(values, "title"),
    email: optional(values, "email"),
    phone: optional(values, "phone"),
    isPrimary: values.isPrimary === true,
  }),
} satisfies RelatedSpec<Customer, Nodes<"contacts">, CreateContactInput, UpdateContactInput>;

const SITE_STATUSES = ["ACTIVE", "INACTIVE"] as const;
const ADDRESS_PARTS = [
  ["street1", "Street line 1"],
  ["street2", "Street line 2"],
  ["city", "City"],
  ["region", "Region"],
  ["postalCode", "Postal code"],
  ["country", "Country"],
] as const;

type AddressValue = Partial<Record<(typeof ADDRESS_PARTS)[number][0], string | null>>;

const addressValues = (address: AddressValue | null | undefined): Values =>
  Object.fromEntries(ADDRESS_PARTS.map(([part]) => [part, address?.[part] ?? ""]));

const NewSite = graphql(`
  query NewSite($id: ID!) {
    customer(id: $id) {
      id
      newSite {
        contactName
        email
        phone
        address { street1 street2 city region postalCode country }
      }
    }
  }
`);

const SiteForm = graphql(`
  query SiteForm($id: ID!) {
    node(id: $id) {
      ... on Site {
        id
        name
        status
        contactName
        email
        phone
        address { street1 street2 city region postalCode country }
      }
    }
  }
`);

const siteInput = (values: Values) => ({
  name: given(values, "name"),
  status: pick(values, "status", SITE_STATUSES),
  contactName: optional(values, "contactName"),
  email: optional(values, "email"),
  phone: optional(values, "phone"),
  address: Object.fromEntries(ADDRESS_PARTS.map(([part]) => [part, optional(values, part)])),
});

export const siteSpec = {
  create: graphql(`mutation CreateSite($input: CreateSiteInput!) {
    createSite(input: $input) { site { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateSite($input: UpdateSiteInput!) {
    updateSite(input: $input) { site { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveSite($input: RemoveSiteInput!) {
    removeSite(input: $input) { removedSiteId userErrors { field code message } } }`),
  noun: "site",
  label: (node) => node.name,
  removes: "A site that assets, work orders or leases refer to cannot be removed.",
  fields: (_customer, node) => [
    text("name", "Site name", true),
    { name: "status", label: "Status", kind: "select", options: options(...SITE_STATUSES) },
    { section: "Contact at the site" },
    {
      ...text("contactName", "Contact name"),
      ...(node ? {} : { description: "The customer's contact details, to keep or change" }),
    },
    [{ name: "email", label: "Email", kind: "email" }, text("phone", "Phone")],
    { section: "Address" },
    ...ADDRESS_PARTS.map(([part, label]) => ({ ...text(part, label), path: `address.${part}` })),
  ],
  initial: (node) => ({
    name: node?.name ?? "",
    status: node?.status ?? "ACTIVE",
    contactName: "",
    email: "",
    phone: "",
    ...addressValues(node?.address),
  }),
  /**
   * A new site starts with what the server says it would fill in (`Customer.newSite`): the
   * customer's contact details, shown to be changed. An edit reads the site's own.
   */
  load: async (client, node, customer) => {
    if (node) {
      const found = (await client.query(SiteForm, { id: node.id }).toPromise()).data?.node;
      if (!found || !("contactName" in found)) return null;
      return {
        name: found.name,
        status: found.status,
        contactName: found.contactName ?? "",
        email: found.email ?? "",
        phone: found.phone ?? "",
        ...addressValues(found.address),
      };
    }
    const starting = (
      await client
        .query(NewSite, { id: customer.id }, { requestPolicy: "network-only" })
        .toPromise()
    ).data?.customer?.newSite;
    if (!starting) return null;
    return {
      name: "",
      status: "ACTIVE",
      contactName: starting.contactName ?? "",
      email: starting.email ?? "",
      phone: starting.phone ?? "",
      ...addressValues(starting.address),
    };
  },
  toCreate: (values, customer) => ({ customerId: customer.id, ...siteInput(values) }),
  toUpdate: (values, node) => ({ id: node.id, ...siteInput(values) }),
} satisfies RelatedSpec<Customer, Nodes<"sites">, CreateSiteInput, UpdateSiteInput>;

const PROJECT_STATUSES = ["PLANNED", "ACTIVE", "ON_HOLD", "COMPLETED", "CANCELLED"] as const;

export const projectSpec = {
  create: graphql(`mutation CreateProject($input: CreateProjectInput!) {
    createProject(input: $input) { project { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateProject($input: UpdateProjectInput!) {
    updateProject(input: $input) { project { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveProject($input: RemoveProjectInput!) {
    removeProject(input: $input) { removedProjectId userErrors { field code message } } }`),
  noun: "project",
  label: (node) => node.name,
  removes: "A project that invoices refer to cannot be removed.",
  fields: () => [
    text("name", "Name", true),
    { name: "status", label: "Status", kind: "select", options: options(...PROJECT_STATUSES) },
    date("startDate", "Start date", true),
    date("endDate", "End date"),
  ],
  initial: (node) => ({
    name: node?.name ?? "",
    status: node?.status ?? "PLANNED",
    startDate: node?.startDate ?? "",
    endDate: node?.endDate ?? "",
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    name: given(values, "name"),
    status: pick(values, "status", PROJECT_STATUSES),
    startDate: given(values, "startDate"),
    endDate: optional(values, "endDate"),
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    name: given(values, "name"),
    status: pick(values, "status", PROJECT_STATUSES),
    startDate: given(values, "startDate"),
    endDate: optional(values, "endDate"),
  }),
} satisfies RelatedSpec<Customer, Nodes<"projects">, CreateProjectInput, UpdateProjectInput>;

const ASSET_STATUSES = ["IN_SERVICE", "IN_REPAIR", "OUT_OF_SERVICE", "RETIRED"] as const;

export const ownedAssetSpec = {
  create: graphql(`mutation CreateAsset($input: CreateAssetInput!) {
    createAsset(input: $input) { asset { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateAsset($input: UpdateAssetInput!) {
    updateAsset(input: $input) { asset { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveAsset($input: RemoveAssetInput!) {
    removeAsset(input: $input) { removedAssetId userErrors { field code message } } }`),
  noun: "owned asset",
  label: (node) => node.name,
  removes: "An asset that leases refer to cannot be removed.",
  fields: (customer) => [
    text("name", "Name", true),
    text("serialNumber", "Serial number"),
    { name: "status", label: "Status", kind: "select", options: options(...ASSET_STATUSES) },
    {
      name: "siteId",
      label: "At site",
      kind: "select",
      options: [{ value: "", label: "No site" }, ...siteOptions(customer)],
    },
  ],
  initial: (node) => ({
    name: node?.name ?? "",
    serialNumber: node?.serialNumber ?? "",
    status: node?.status ?? "IN_SERVICE",
    siteId: node?.site?.id ?? "",
  }),
  toCreate: (values, customer) => ({
    ownerCustomerId: customer.id,
    name: given(values, "name"),
    serialNumber: optional(values, "serialNumber"),
    status: pick(values, "status", ASSET_STATUSES),
    siteId: optional(values, "siteId"),
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    name: given(values, "name"),
    serialNumber: optional(values, "serialNumber"),
    status: pick(values, "status", ASSET_STATUSES),
    siteId: optional(values, "siteId"),
  }),
} satisfies RelatedSpec<Customer, Nodes<"ownedAssets">, CreateAssetInput, UpdateAssetInput>;

const CONTRACT_STATUSES = ["DRAFT", "ACTIVE", "EXPIRED", "CANCELLED"] as const;

export const contractSpec = {
  create: graphql(`mutation CreateContract($input: CreateContractInput!) {
    createContract(input: $input) { contract { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateContract($input: UpdateContractInput!) {
    updateContract(input: $input) { contract { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveContract($input: RemoveContractInput!) {
    removeContract(input: $input) { removedContractId userErrors { field code message } } }`),
  noun: "contract",
  label: (node) => node.number,
  fields: () => [
    text("number", "Number", true),
    { name: "status", label: "Status", kind: "select", options: options(...CONTRACT_STATUSES) },
    date("startDate", "Start date", true),
    date("endDate", "End date"),
    amount("value", "Value"),
  ],
  initial: (node) => ({
    number: node?.number ?? "",
    status: node?.status ?? "DRAFT",
    startDate: node?.startDate ?? "",
    endDate: node?.endDate ?? "",
    amount: typed(node?.value.amount),
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    number: given(values, "number"),
    status: pick(values, "status", CONTRACT_STATUSES),
    startDate: given(values, "startDate"),
    endDate: optional(values, "endDate"),
    value: { amount: given(values, "amount") },
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    number: given(values, "number"),
    status: pick(values, "status", CONTRACT_STATUSES),
    startDate: given(values, "startDate"),
    endDate: optional(values, "endDate"),
    value: { amount: given(values, "amount") },
  }),
} satisfies RelatedSpec<Customer, Nodes<"contracts">, CreateContractInput, UpdateContractInput>;

const WORK_ORDER_STATUSES = ["OPEN", "IN_PROGRESS", "DONE", "CANCELLED"] as const;

export const workOrderSpec = {
  create: graphql(`mutation CreateWorkOrder($input: CreateWorkOrderInput!) {
    createWorkOrder(input: $input) { workOrder { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateWorkOrder($input: UpdateWorkOrderInput!) {
    updateWorkOrder(input: $input) { workOrder { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveWorkOrder($input: RemoveWorkOrderInput!) {
    removeWorkOrder(input: $input) { removedWorkOrderId userErrors { field code message } } }`),
  noun: "work order",
  label: (node) => node.number,
  removes: "Its tasks are removed with it.",
  fields: (customer) => [
    text("title", "Title", true),
    { name: "siteId", label: "Site", kind: "select", options: siteOptions(customer) },
    { name: "status", label: "Status", kind: "select", options: options(...WORK_ORDER_STATUSES) },
    date("scheduledOn", "Scheduled on"),
  ],
  initial: (node) => ({
    title: node?.title ?? "",
    siteId: node?.site.id ?? "",
    status: node?.status ?? "OPEN",
    scheduledOn: node?.scheduledOn ?? "",
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    title: given(values, "title"),
    siteId: given(values, "siteId"),
    status: pick(values, "status", WORK_ORDER_STATUSES),
    scheduledOn: optional(values, "scheduledOn"),
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    title: given(values, "title"),
    siteId: given(values, "siteId"),
    status: pick(values, "status", WORK_ORDER_STATUSES),
    scheduledOn: optional(values, "scheduledOn"),
  }),
} satisfies RelatedSpec<Customer, Nodes<"workOrders">, CreateWorkOrderInput, UpdateWorkOrderInput>;

const STAGES = ["PROSPECTING", "QUALIFICATION", "PROPOSAL", "NEGOTIATION", "WON", "LOST"] as const;

export const opportunitySpec = {
  create: graphql(`mutation CreateOpportunity($input: CreateOpportunityInput!) {
    createOpportunity(input: $input) { opportunity { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateOpportunity($input: UpdateOpportunityInput!) {
    updateOpportunity(input: $input) { opportunity { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveOpportunity($input: RemoveOpportunityInput!) {
    removeOpportunity(input: $input) { removedOpportunityId userErrors { field code message } } }`),
  noun: "opportunity",
  label: (node) => node.name,
  fields: () => [
    text("name", "Name", true),
    { name: "stage", label: "Stage", kind: "select", options: options(...STAGES) },
    amount("amount", "Amount"),
    date("expectedCloseOn", "Expected to close on"),
  ],
  initial: (node) => ({
    name: node?.name ?? "",
    stage: node?.stage ?? "PROSPECTING",
    amount: typed(node?.amount.amount),
    expectedCloseOn: node?.expectedCloseOn ?? "",
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    name: given(values, "name"),
    stage: pick(values, "stage", STAGES),
    amount: { amount: given(values, "amount") },
    expectedCloseOn: optional(values, "expectedCloseOn"),
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    name: given(values, "name"),
    stage: pick(values, "stage", STAGES),
    amount: { amount: given(values, "amount") },
    expectedCloseOn: optional(values, "expectedCloseOn"),
  }),
} satisfies RelatedSpec<
  Customer,
  Nodes<"opportunities">,
  CreateOpportunityInput,
  UpdateOpportunityInput
>;

const ORDER_STATUSES = ["PENDING", "FULFILLED", "CANCELLED"] as const;

export const orderSpec = {
  create: graphql(`mutation CreateOrder($input: CreateOrderInput!) {
    createOrder(input: $input) { order { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateOrder($input: UpdateOrderInput!) {
    updateOrder(input: $input) { order { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveOrder($input: RemoveOrderInput!) {
    removeOrder(input: $input) { removedOrderId userErrors { field code message } } }`),
  noun: "order",
  label: (node) => node.number,
  fields: () => [
    text("number", "Number", true),
    date("orderedOn", "Ordered on", true),
    { name: "status", label: "Status", kind: "select", options: options(...ORDER_STATUSES) },
    amount("total", "Total"),
  ],
  initial: (node) => ({
    number: node?.number ?? "",
    orderedOn: node?.orderedOn ?? "",
    status: node?.status ?? "PENDING",
    amount: typed(node?.total.amount),
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    number: given(values, "number"),
    orderedOn: given(values, "orderedOn"),
    status: pick(values, "status", ORDER_STATUSES),
    total: { amount: given(values, "amount") },
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    number: given(values, "number"),
    orderedOn: given(values, "orderedOn"),
    status: pick(values, "status", ORDER_STATUSES),
    total: { amount: given(values, "amount") },
  }),
} satisfies RelatedSpec<Customer, Nodes<"orders">, CreateOrderInput, UpdateOrderInput>;

const INVOICE_STATUSES = ["DRAFT", "ISSUED", "PAID", "VOID"] as const;

export const invoiceSpec = {
  create: graphql(`mutation CreateInvoice($input: CreateInvoiceInput!) {
    createInvoice(input: $input) { invoice { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateInvoice($input: UpdateInvoiceInput!) {
    updateInvoice(input: $input) { invoice { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveInvoice($input: RemoveInvoiceInput!) {
    removeInvoice(input: $input) { removedInvoiceId userErrors { field code message } } }`),
  noun: "invoice",
  label: (node) => node.number,
  fields: () => [
    text("number", "Number", true),
    { name: "status", label: "Status", kind: "select", options: options(...INVOICE_STATUSES) },
    amount("amount", "Amount"),
    date("issuedOn", "Issued on"),
    date("dueOn", "Due on"),
  ],
  initial: (node) => ({
    number: node?.number ?? "",
    status: node?.status ?? "DRAFT",
    amount: typed(node?.amount.amount),
    issuedOn: node?.issuedOn ?? "",
    dueOn: node?.dueOn ?? "",
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    number: given(values, "number"),
    status: pick(values, "status", INVOICE_STATUSES),
    amount: { amount: given(values, "amount") },
    issuedOn: optional(values, "issuedOn"),
    dueOn: optional(values, "dueOn"),
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    number: given(values, "number"),
    status: pick(values, "status", INVOICE_STATUSES),
    amount: { amount: given(values, "amount") },
    issuedOn: optional(values, "issuedOn"),
    dueOn: optional(values, "dueOn"),
  }),
} satisfies RelatedSpec<Customer, Nodes<"invoices">, CreateInvoiceInput, UpdateInvoiceInput>;

const TICKET_STATUSES = ["OPEN", "PENDING", "RESOLVED", "CLOSED"] as const;
const PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;

export const ticketSpec = {
  create: graphql(`mutation CreateSupportTicket($input: CreateSupportTicketInput!) {
    createSupportTicket(input: $input) { supportTicket { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateSupportTicket($input: UpdateSupportTicketInput!) {
    updateSupportTicket(input: $input) { supportTicket { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveSupportTicket($input: RemoveSupportTicketInput!) {
    removeSupportTicket(input: $input) { removedSupportTicketId userErrors { field code message } } }`),
  noun: "ticket",
  label: (node) => node.subject,
  fields: () => [
    text("subject", "Subject", true),
    { name: "status", label: "Status", kind: "select", options: options(...TICKET_STATUSES) },
    { name: "priority", label: "Priority", kind: "select", options: options(...PRIORITIES) },
  ],
  initial: (node) => ({
    subject: node?.subject ?? "",
    status: node?.status ?? "OPEN",
    priority: node?.priority ?? "NORMAL",
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    subject: given(values, "subject"),
    status: pick(values, "status", TICKET_STATUSES),
    priority: pick(values, "priority", PRIORITIES),
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    subject: given(values, "subject"),
    status: pick(values, "status", TICKET_STATUSES),
    priority: pick(values, "priority", PRIORITIES),
  }),
} satisfies RelatedSpec<
  Customer,
  Nodes<"tickets">,
  CreateSupportTicketInput,
  UpdateSupportTicketInput
>;

const RATE_PERIODS = ["MONTHLY", "QUARTERLY", "YEARLY"] as const;

export const leaseSpec = {
  create: graphql(`mutation CreateLease($input: CreateLeaseInput!) {
    createLease(input: $input) { lease { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdateLease($input: UpdateLeaseInput!) {
    updateLease(input: $input) { lease { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemoveLease($input: RemoveLeaseInput!) {
    removeLease(input: $input) { removedLeaseId userErrors { field code message } } }`),
  noun: "site lease",
  label: (node) => node.site?.name ?? node.asset?.name ?? "lease",
  fields: (customer) => [
    { name: "siteId", label: "Leased site", kind: "select", options: siteOptions(customer) },
    date("startDate", "Start date", true),
    date("endDate", "End date"),
    amount("rate", "Rate"),
    { name: "ratePeriod", label: "Per", kind: "select", options: options(...RATE_PERIODS) },
  ],
  initial: (node) => ({
    siteId: node?.site?.id ?? "",
    startDate: node?.startDate ?? "",
    endDate: node?.endDate ?? "",
    amount: typed(node?.rate.amount),
    ratePeriod: node?.ratePeriod ?? "MONTHLY",
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    siteId: given(values, "siteId"),
    startDate: given(values, "startDate"),
    endDate: optional(values, "endDate"),
    rate: { amount: given(values, "amount") },
    ratePeriod: pick(values, "ratePeriod", RATE_PERIODS),
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    startDate: given(values, "startDate"),
    endDate: optional(values, "endDate"),
    rate: { amount: given(values, "amount") },
    ratePeriod: pick(values, "ratePeriod", RATE_PERIODS),
  }),
} satisfies RelatedSpec<Customer, Nodes<"leases">, CreateLeaseInput, UpdateLeaseInput>;

export const priceScheduleSpec = {
  create: graphql(`mutation CreatePriceSchedule($input: CreatePriceScheduleInput!) {
    createPriceSchedule(input: $input) { priceSchedule { id } userErrors { field code message } } }`),
  update: graphql(`mutation UpdatePriceSchedule($input: UpdatePriceScheduleInput!) {
    updatePriceSchedule(input: $input) { priceSchedule { id } userErrors { field code message } } }`),
  remove: graphql(`mutation RemovePriceSchedule($input: RemovePriceScheduleInput!) {
    removePriceSchedule(input: $input) { removedPriceScheduleId userErrors { field code message } } }`),
  noun: "price",
  label: (node) => node.productName,
  fields: () => [
    text("productCode", "Product code", true),
    text("productName", "Product name", true),
    amount("unitPrice", "Unit price"),
    date("validFrom", "Valid from", true),
    date("validTo", "Valid to"),
  ],
  initial: (node) => ({
    productCode: node?.productCode ?? "",
    productName: node?.productName ?? "",
    amount: typed(node?.unitPrice.amount),
    validFrom: node?.validFrom ?? "",
    validTo: node?.validTo ?? "",
  }),
  toCreate: (values, customer) => ({
    customerId: customer.id,
    productCode: given(values, "productCode"),
    productName: given(values, "productName"),
    unitPrice: { amount: given(values, "amount") },
    validFrom: given(values, "validFrom"),
    validTo: optional(values, "validTo"),
  }),
  toUpdate: (values, node) => ({
    id: node.id,
    productCode: given(values, "productCode"),
    productName: given(values, "productName"),
    unitPrice: { amount: given(values, "amount") },
    validFrom: given(values, "validFrom"),
    validTo: optional(values, "validTo"),
  }),
} satisfies RelatedSpec<
  Customer,
  Nodes<"priceSchedules">,
  CreatePriceScheduleInput,
  UpdatePriceScheduleInput
>;
