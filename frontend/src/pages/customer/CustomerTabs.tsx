import { Badge, Button, Group, Table, Tabs, Text } from "@mantine/core";
import { type ReactNode, useState } from "react";
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
import type { Customer } from "./types";
import { type RelatedEditor, useRelatedEditor } from "./useRelatedEditor";
import { WorkOrderTasks } from "./WorkOrderTasks";

function Rows({ headers, rows }: { headers: string[]; rows: ReactNode[][] }) {
  if (rows.length === 0) {
    return <Text c="dimmed">Nothing here yet.</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            {headers.map((header) => (
              <Table.Th key={header}>{header}</Table.Th>
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

function Shown({
  count,
  total,
  onShowMore,
}: {
  count: number;
  total: number;
  onShowMore?: (() => void) | undefined;
}) {
  if (count >= total) return null;
  return (
    <Group gap="xs" mb="xs">
      <Text size="sm" c="dimmed">
        Showing the first {count} of {total}.
      </Text>
      {onShowMore && (
        <Button size="compact-xs" variant="subtle" onClick={onShowMore}>
          Show more
        </Button>
      )}
    </Group>
  );
}

const tab = (key: string, label: string, count: number) => (
  <Tabs.Tab value={key}>
    {label} ({count})
  </Tabs.Tab>
);

/** Everything related to the customer, a tab each, with the totals in the labels. */
export function CustomerTabs({
  customer,
  onChanged,
  onShowMore,
}: {
  customer: Customer;
  onChanged: () => void;
  onShowMore?: (() => void) | undefined;
}) {
  const editable = customer.viewerCanEdit;
  const activeAndEditable = editable && customer.status === "ACTIVE";
  const contacts = useRelatedEditor(contactSpec, customer, onChanged);
  const sites = useRelatedEditor(siteSpec, customer, onChanged);
  const projects = useRelatedEditor(projectSpec, customer, onChanged);
  const owned = useRelatedEditor(ownedAssetSpec, customer, onChanged);
  const contracts = useRelatedEditor(contractSpec, customer, onChanged);
  const workOrders = useRelatedEditor(workOrderSpec, customer, onChanged);
  const opportunities = useRelatedEditor(opportunitySpec, customer, onChanged);
  const orders = useRelatedEditor(orderSpec, customer, onChanged);
  const invoices = useRelatedEditor(invoiceSpec, customer, onChanged);
  const tickets = useRelatedEditor(ticketSpec, customer, onChanged);
  const leases = useRelatedEditor(leaseSpec, customer, onChanged);
  const prices = useRelatedEditor(priceScheduleSpec, customer, onChanged);
  const [tasksOf, setTasksOf] = useState<{ id: string; number: string } | null>(null);

  /** A tab's table, with add, edit and remove for those who may edit the customer. */
  function panel<T extends { id: string }>(
    value: string,
    editor: RelatedEditor<T>,
    headers: string[],
    connection: { totalCount: number; edges: readonly { node: T }[] },
    cells: (node: T) => ReactNode[],
    canAdd = editable,
  ) {
    const nodes = connection.edges.map((edge) => edge.node);
    return (
      <Tabs.Panel value={value} pt="sm">
        {canAdd && editor.addButton}
        {editor.error}
        <Shown count={nodes.length} total={connection.totalCount} onShowMore={onShowMore} />
        <Rows
          headers={[...headers, ...(editable ? [""] : [])]}
          rows={nodes.map((node) => [
            ...cells(node),
            ...(editable ? [editor.rowActions(node)] : []),
          ])}
        />
        {editor.modal}
      </Tabs.Panel>
    );
  }

  return (
    <Tabs defaultValue="contacts" keepMounted={false}>
      <Tabs.List>
        {tab("contacts", "Contacts", customer.contacts.totalCount)}
        {tab("sites", "Sites", customer.sites.totalCount)}
        {tab("projects", "Projects", customer.projects.totalCount)}
        {tab("assets", "Assets on location", customer.assets.totalCount)}
        {tab("owned", "Assets owned", customer.ownedAssets.totalCount)}
        {tab("contracts", "Contracts", customer.contracts.totalCount)}
        {tab("workOrders", "Work orders", customer.workOrders.totalCount)}
        {tab("opportunities", "Opportunities", customer.opportunities.totalCount)}
        {tab("orders", "Orders", customer.orders.totalCount)}
        {tab("invoices", "Invoices", customer.invoices.totalCount)}
        {tab("tickets", "Tickets", customer.tickets.totalCount)}
        {tab("leases", "Leases", customer.leases.totalCount)}
        {tab("prices", "Prices", customer.priceSchedules.totalCount)}
        {tab("history", "History", customer.history.totalCount)}
      </Tabs.List>
      {panel(
        "contacts",
        contacts,
        ["Name", "Title", "Email", "Phone", ""],
        customer.contacts,
        (node) => [
          node.name,
          node.title,
          node.email,
          node.phone,
          node.isPrimary ? <Badge key="p">Primary</Badge> : null,
        ],
      )}
      {panel(
        "sites",
        sites,
        ["Name", "Status", "City", "Country"],
        customer.sites,
        (node) => [node.name, humanize(node.status), node.address.city, node.address.country],
        activeAndEditable,
      )}
      {panel(
        "projects",
        projects,
        ["Name", "Phase", "Status", "Start", "End"],
        customer.projects,
        (node) => [
          node.name,
          humanize(node.phase),
          humanize(node.status),
          node.startDate,
          node.endDate,
        ],
      )}
      <Tabs.Panel value="assets" pt="sm">
        <Shown
          count={customer.assets.edges.length}
          total={customer.assets.totalCount}
          onShowMore={onShowMore}
        />
        <Rows
          headers={["Name", "Serial", "Status", "Owner"]}
          rows={customer.assets.edges.map(({ node }) => [
            node.name,
            node.serialNumber,
            humanize(node.status),
            node.ownerCustomer?.name ?? "—",
          ])}
        />
      </Tabs.Panel>
      {panel("owned", owned, ["Name", "Serial", "Status", "Site"], customer.ownedAssets, (node) => [
        node.name,
        node.serialNumber,
        humanize(node.status),
        node.site?.name ?? "—",
      ])}
      {panel(
        "contracts",
        contracts,
        ["Number", "Status", "Start", "End", "Value"],
        customer.contracts,
        (node) => [
          node.number,
          humanize(node.status),
          node.startDate,
          node.endDate,
          formatMoney(node.value),
        ],
        activeAndEditable,
      )}
      {panel(
        "workOrders",
        workOrders,
        ["Number", "Title", "Status", "Site", "Tasks"],
        customer.workOrders,
        (node) => [
          node.number,
          node.title,
          humanize(node.status),
          node.site.name,
          <Button key="tasks" size="compact-xs" variant="light" onClick={() => setTasksOf(node)}>
            {node.tasks.totalCount} tasks
          </Button>,
        ],
        activeAndEditable && customer.sites.totalCount > 0,
      )}
      {panel(
        "opportunities",
        opportunities,
        ["Name", "Stage", "Amount"],
        customer.opportunities,
        (node) => [node.name, humanize(node.stage), formatMoney(node.amount)],
      )}
      {panel("orders", orders, ["Number", "Date", "Status", "Total"], customer.orders, (node) => [
        node.number,
        node.orderedOn,
        humanize(node.status),
        formatMoney(node.total),
      ])}
      {panel(
        "invoices",
        invoices,
        ["Number", "Status", "Issued", "Due", "Amount"],
        customer.invoices,
        (node) => [
          node.number,
          humanize(node.status),
          node.issuedOn,
          node.dueOn,
          formatMoney(node.amount),
        ],
      )}
      {panel(
        "tickets",
        tickets,
        ["Subject", "Status", "Priority", "Opened"],
        customer.tickets,
        (node) => [
          node.subject,
          humanize(node.status),
          humanize(node.priority),
          new Date(node.openedAt).toLocaleDateString(),
        ],
      )}
      {panel(
        "leases",
        leases,
        ["Leased", "Start", "End", "Rate"],
        customer.leases,
        (node) => [
          node.asset?.name ?? node.site?.name ?? "—",
          node.startDate,
          node.endDate,
          `${formatMoney(node.rate)} ${humanize(node.ratePeriod).toLowerCase()}`,
        ],
        editable && customer.sites.totalCount > 0,
      )}
      {panel(
        "prices",
        prices,
        ["Code", "Product", "Unit price", "From", "To"],
        customer.priceSchedules,
        (node) => [
          node.productCode,
          node.productName,
          formatMoney(node.unitPrice),
          node.validFrom,
          node.validTo,
        ],
      )}
      {tasksOf && (
        <WorkOrderTasks
          workOrder={tasksOf}
          editable={editable}
          onClose={() => setTasksOf(null)}
          onChanged={onChanged}
        />
      )}
      <Tabs.Panel value="history" pt="sm">
        <HistoryTimeline customer={customer} />
      </Tabs.Panel>
    </Tabs>
  );
}
