import { Badge, Button, Select, Table, Tabs, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import type { TypedDocumentNode } from "@urql/core";
import { type ReactNode, useState } from "react";
import { plural } from "../../lib/labels";
import { formatMoney, humanize } from "../../lib/money";
import { HistoryTimeline } from "./HistoryTimeline";
import {
  contactSpec,
  contractSpec,
  invoiceSpec,
  leaseSpec,
  opportunitySpec,
  orderSpec,
  ownedAssetSpec,
  priceScheduleSpec,
  projectSpec,
  siteSpec,
  ticketSpec,
  workOrderSpec,
} from "./relatedSpecs";
import {
  emptyText,
  type TabConnectionValue,
  TabToolbar,
  type TabVariables,
  useTabPage,
} from "./TabPage";
import {
  CustomerAssetsTab,
  CustomerContactsTab,
  CustomerContractsTab,
  CustomerInvoicesTab,
  CustomerLeasesTab,
  CustomerOpportunitiesTab,
  CustomerOrdersTab,
  CustomerOwnedAssetsTab,
  CustomerPriceSchedulesTab,
  CustomerProjectsTab,
  CustomerSitesTab,
  CustomerTicketsTab,
  CustomerWorkOrdersTab,
} from "./tabQueries";
import type { Customer } from "./types";
import { type RelatedEditor, type RelatedSpec, useRelatedEditor } from "./useRelatedEditor";
import { WorkOrderTasks } from "./WorkOrderTasks";

function Rows({ headers, rows }: { headers: string[]; rows: ReactNode[][] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            {headers.map((header, index) => (
              <Table.Th key={`${header}-${index}`}>{header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((cells, index) => (
            <Table.Tr key={index}>
              {cells.map((cell, column) => (
                <Table.Td key={column}>{cell}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface ListProps<Q, T extends { id: string }> {
  customer: Customer;
  refreshKey: number;
  document: TypedDocumentNode<Q, TabVariables>;
  pick: (data: Q) => TabConnectionValue<T> | undefined;
  /** What the list holds, in the plural: "contacts" ("Search contacts", "No contacts yet."). */
  noun: string;
  headers: string[];
  cells: (node: T) => ReactNode[];
}

/** One of the customer's lists: search, range and pages, and its rows. */
function RelatedList<Q, T extends { id: string }>({
  customer,
  refreshKey,
  document,
  pick,
  noun,
  headers,
  cells,
  editor,
  canAdd = false,
}: ListProps<Q, T> & { editor?: RelatedEditor<T>; canAdd?: boolean }) {
  const tab = useTabPage(document, customer.id, pick, refreshKey);
  const nodes = tab.page?.edges.map((edge) => edge.node) ?? [];
  const editable = editor !== undefined && customer.viewerCanEdit;
  return (
    <>
      <TabToolbar tab={tab} noun={noun} action={canAdd && editor ? editor.addButton : undefined} />
      {editor?.error}
      {tab.error && (
        <Text c="red" role="alert" size="sm">
          {tab.error}
        </Text>
      )}
      {tab.page && nodes.length === 0 ? (
        <Text c="dimmed">{emptyText(tab, noun)}</Text>
      ) : (
        <Rows
          headers={[...headers, ...(editable ? ["Actions"] : [])]}
          rows={nodes.map((node) => [
            ...cells(node),
            ...(editable && editor ? [editor.rowActions(node)] : []),
          ])}
        />
      )}
      {editor?.modal}
    </>
  );
}

/** A list whose rows those who may edit the customer add, edit and remove. */
function EditableList<Q, T extends { id: string }, C, U>({
  spec,
  onChanged,
  canAdd,
  ...props
}: ListProps<Q, T> & {
  spec: RelatedSpec<Customer, T, C, U>;
  onChanged: () => void;
  canAdd: boolean;
}) {
  const editor = useRelatedEditor(spec, props.customer, onChanged);
  return <RelatedList {...props} editor={editor} canAdd={canAdd} />;
}

const SECTIONS = [
  ["contacts", "Contacts"],
  ["sites", "Sites"],
  ["projects", "Projects"],
  ["assets", "Assets on location"],
  ["owned", "Assets owned"],
  ["contracts", "Contracts"],
  ["workOrders", "Work orders"],
  ["opportunities", "Opportunities"],
  ["orders", "Orders"],
  ["invoices", "Invoices"],
  ["tickets", "Tickets"],
  ["leases", "Leases"],
  ["prices", "Prices"],
  ["history", "History"],
] as const;

type Section = (typeof SECTIONS)[number][0];

function totals(customer: Customer): Record<Section, number> {
  return {
    contacts: customer.contacts.totalCount,
    sites: customer.sites.totalCount,
    projects: customer.projects.totalCount,
    assets: customer.assets.totalCount,
    owned: customer.ownedAssets.totalCount,
    contracts: customer.contracts.totalCount,
    workOrders: customer.workOrders.totalCount,
    opportunities: customer.opportunities.totalCount,
    orders: customer.orders.totalCount,
    invoices: customer.invoices.totalCount,
    tickets: customer.tickets.totalCount,
    leases: customer.leases.totalCount,
    prices: customer.priceSchedules.totalCount,
    history: customer.history.totalCount,
  };
}

/**
 * Everything related to the customer, a section each with its total: tabs on a wide
 * screen, a choice of section on a phone. Each section loads its own pages when shown.
 */
export function CustomerTabs({
  customer,
  onChanged,
  refreshKey,
}: {
  customer: Customer;
  onChanged: () => void;
  refreshKey: number;
}) {
  const [section, setSection] = useState<Section>("contacts");
  const narrow = useMediaQuery("(max-width: 48em)");
  const [tasksOf, setTasksOf] = useState<{ id: string; number: string } | null>(null);
  const editable = customer.viewerCanEdit;
  const activeAndEditable = editable && customer.status === "ACTIVE";
  const counts = totals(customer);
  const common = { customer, refreshKey, onChanged };

  return (
    <Tabs
      value={section}
      onChange={(value) => value && setSection(value as Section)}
      keepMounted={false}
    >
      {narrow ? (
        <Select
          label="Section"
          data={SECTIONS.map(([value, label]) => ({
            value,
            label: `${label} (${counts[value]})`,
          }))}
          value={section}
          onChange={(value) => value && setSection(value as Section)}
          allowDeselect={false}
        />
      ) : (
        <Tabs.List>
          {SECTIONS.map(([value, label]) => (
            <Tabs.Tab key={value} value={value}>
              {label} ({counts[value]})
            </Tabs.Tab>
          ))}
        </Tabs.List>
      )}
      <Tabs.Panel value="contacts" pt="sm">
        <EditableList
          {...common}
          spec={contactSpec}
          canAdd={editable}
          document={CustomerContactsTab}
          pick={(data) => data.customer?.contacts}
          noun="contacts"
          headers={["Name", "Title", "Email", "Phone", "Primary"]}
          cells={(node) => [
            node.name,
            node.title,
            node.email,
            node.phone,
            node.isPrimary ? <Badge key="p">Primary</Badge> : null,
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="sites" pt="sm">
        <EditableList
          {...common}
          spec={siteSpec}
          canAdd={activeAndEditable}
          document={CustomerSitesTab}
          pick={(data) => data.customer?.sites}
          noun="sites"
          headers={["Name", "Status", "City", "Country"]}
          cells={(node) => [
            node.name,
            humanize(node.status),
            node.address.city,
            node.address.country,
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="projects" pt="sm">
        <EditableList
          {...common}
          spec={projectSpec}
          canAdd={editable}
          document={CustomerProjectsTab}
          pick={(data) => data.customer?.projects}
          noun="projects"
          headers={["Name", "Phase", "Status", "Start", "End"]}
          cells={(node) => [
            node.name,
            humanize(node.phase),
            humanize(node.status),
            node.startDate,
            node.endDate,
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="assets" pt="sm">
        <RelatedList
          customer={customer}
          refreshKey={refreshKey}
          document={CustomerAssetsTab}
          pick={(data) => data.customer?.assets}
          noun="assets"
          headers={["Name", "Serial", "Status", "Owner"]}
          cells={(node) => [
            node.name,
            node.serialNumber,
            humanize(node.status),
            node.ownerCustomer?.name ?? "—",
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="owned" pt="sm">
        <EditableList
          {...common}
          spec={ownedAssetSpec}
          canAdd={editable}
          document={CustomerOwnedAssetsTab}
          pick={(data) => data.customer?.ownedAssets}
          noun="assets"
          headers={["Name", "Serial", "Status", "Site"]}
          cells={(node) => [
            node.name,
            node.serialNumber,
            humanize(node.status),
            node.site?.name ?? "—",
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="contracts" pt="sm">
        <EditableList
          {...common}
          spec={contractSpec}
          canAdd={activeAndEditable}
          document={CustomerContractsTab}
          pick={(data) => data.customer?.contracts}
          noun="contracts"
          headers={["Number", "Status", "Start", "End", "Value"]}
          cells={(node) => [
            node.number,
            humanize(node.status),
            node.startDate,
            node.endDate,
            formatMoney(node.value),
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="workOrders" pt="sm">
        <EditableList
          {...common}
          spec={workOrderSpec}
          canAdd={activeAndEditable && customer.sites.totalCount > 0}
          document={CustomerWorkOrdersTab}
          pick={(data) => data.customer?.workOrders}
          noun="work orders"
          headers={["Number", "Title", "Status", "Site", "Tasks"]}
          cells={(node) => [
            node.number,
            node.title,
            humanize(node.status),
            node.site.name,
            <Button key="tasks" size="compact-xs" variant="light" onClick={() => setTasksOf(node)}>
              {plural(node.tasks.totalCount, "task")}
            </Button>,
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="opportunities" pt="sm">
        <EditableList
          {...common}
          spec={opportunitySpec}
          canAdd={editable}
          document={CustomerOpportunitiesTab}
          pick={(data) => data.customer?.opportunities}
          noun="opportunities"
          headers={["Name", "Stage", "Amount"]}
          cells={(node) => [node.name, humanize(node.stage), formatMoney(node.amount)]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="orders" pt="sm">
        <EditableList
          {...common}
          spec={orderSpec}
          canAdd={editable}
          document={CustomerOrdersTab}
          pick={(data) => data.customer?.orders}
          noun="orders"
          headers={["Number", "Date", "Status", "Total"]}
          cells={(node) => [
            node.number,
            node.orderedOn,
            humanize(node.status),
            formatMoney(node.total),
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="invoices" pt="sm">
        <EditableList
          {...common}
          spec={invoiceSpec}
          canAdd={editable}
          document={CustomerInvoicesTab}
          pick={(data) => data.customer?.invoices}
          noun="invoices"
          headers={["Number", "Status", "Issued", "Due", "Amount"]}
          cells={(node) => [
            node.number,
            humanize(node.status),
            node.issuedOn,
            node.dueOn,
            formatMoney(node.amount),
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="tickets" pt="sm">
        <EditableList
          {...common}
          spec={ticketSpec}
          canAdd={editable}
          document={CustomerTicketsTab}
          pick={(data) => data.customer?.tickets}
          noun="tickets"
          headers={["Subject", "Status", "Priority", "Opened"]}
          cells={(node) => [
            node.subject,
            humanize(node.status),
            humanize(node.priority),
            new Date(node.openedAt).toLocaleDateString(),
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="leases" pt="sm">
        <EditableList
          {...common}
          spec={leaseSpec}
          canAdd={editable && customer.sites.totalCount > 0}
          document={CustomerLeasesTab}
          pick={(data) => data.customer?.leases}
          noun="leases"
          headers={["Leased", "Start", "End", "Rate"]}
          cells={(node) => [
            node.asset?.name ?? node.site?.name ?? "—",
            node.startDate,
            node.endDate,
            `${formatMoney(node.rate)} ${humanize(node.ratePeriod).toLowerCase()}`,
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="prices" pt="sm">
        <EditableList
          {...common}
          spec={priceScheduleSpec}
          canAdd={editable}
          document={CustomerPriceSchedulesTab}
          pick={(data) => data.customer?.priceSchedules}
          noun="prices"
          headers={["Code", "Product", "Unit price", "From", "To"]}
          cells={(node) => [
            node.productCode,
            node.productName,
            formatMoney(node.unitPrice),
            node.validFrom,
            node.validTo,
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="history" pt="sm">
        <HistoryTimeline customer={customer} refreshKey={refreshKey} />
      </Tabs.Panel>
      {tasksOf && (
        <WorkOrderTasks
          workOrder={tasksOf}
          editable={editable}
          onClose={() => setTasksOf(null)}
          onChanged={onChanged}
        />
      )}
    </Tabs>
  );
}
