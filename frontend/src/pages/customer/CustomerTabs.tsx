import { Alert, Badge, Button, List, Table, Tabs, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { formatMoney, humanize } from "../../lib/money";
import { useContactEditor, useSiteEditor } from "./RelatedEditors";
import type { Customer } from "./types";

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

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
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
}: {
  customer: Customer;
  onChanged: () => void;
}) {
  const contacts = useContactEditor(customer, onChanged);
  const sites = useSiteEditor(customer, onChanged);
  const editable = customer.viewerCanEdit;
  const canAddSite = editable && customer.status === "ACTIVE";
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
        {tab("history", "History", customer.history.totalCount)}
      </Tabs.List>
      <Tabs.Panel value="contacts" pt="sm">
        {editable && (
          <Button size="xs" mb="sm" onClick={contacts.add}>
            Add contact
          </Button>
        )}
        <Rows
          headers={["Name", "Title", "Email", "Phone", "", ...(editable ? [""] : [])]}
          rows={customer.contacts.edges.map(({ node }) => [
            node.name,
            node.title,
            node.email,
            node.phone,
            node.isPrimary ? <Badge key="p">Primary</Badge> : null,
            ...(editable ? [contacts.rowActions(node)] : []),
          ])}
        />
        {contacts.modal}
      </Tabs.Panel>
      <Tabs.Panel value="sites" pt="sm">
        {canAddSite && (
          <Button size="xs" mb="sm" onClick={sites.add}>
            Add site
          </Button>
        )}
        {sites.removeError && (
          <Alert color="red" role="alert" mb="sm">
            {sites.removeError}
          </Alert>
        )}
        <Rows
          headers={["Name", "Status", "City", "Country", ...(editable ? [""] : [])]}
          rows={customer.sites.edges.map(({ node }) => [
            node.name,
            humanize(node.status),
            node.address.city,
            node.address.country,
            ...(editable ? [sites.rowActions(node)] : []),
          ])}
        />
        {sites.modal}
      </Tabs.Panel>
      <Tabs.Panel value="projects" pt="sm">
        <Rows
          headers={["Name", "Phase", "Status", "Start", "End"]}
          rows={customer.projects.edges.map(({ node }) => [
            node.name,
            humanize(node.phase),
            humanize(node.status),
            node.startDate,
            node.endDate,
          ])}
        />
      </Tabs.Panel>
      <Tabs.Panel value="assets" pt="sm">
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
      <Tabs.Panel value="owned" pt="sm">
        <Rows
          headers={["Name", "Serial", "Status", "Site"]}
          rows={customer.ownedAssets.edges.map(({ node }) => [
            node.name,
            node.serialNumber,
            humanize(node.status),
            node.site?.name ?? "—",
          ])}
        />
      </Tabs.Panel>
      <Tabs.Panel value="contracts" pt="sm">
        <Rows
          headers={["Number", "Status", "Start", "End", "Value"]}
          rows={customer.contracts.edges.map(({ node }) => [
            node.number,
            humanize(node.status),
            node.startDate,
            node.endDate,
            formatMoney(node.value),
          ])}
        />
      </Tabs.Panel>
      <Tabs.Panel value="workOrders" pt="sm">
        <Rows
          headers={["Number", "Title", "Status", "Site", "Tasks"]}
          rows={customer.workOrders.edges.map(({ node }) => [
            node.number,
            node.title,
            humanize(node.status),
            node.site.name,
            node.tasks.totalCount,
          ])}
        />
      </Tabs.Panel>
      <Tabs.Panel value="opportunities" pt="sm">
        <Rows
          headers={["Name", "Stage", "Amount"]}
          rows={customer.opportunities.edges.map(({ node }) => [
            node.name,
            humanize(node.stage),
            formatMoney(node.amount),
          ])}
        />
      </Tabs.Panel>
      <Tabs.Panel value="orders" pt="sm">
        <Rows
          headers={["Number", "Date", "Status", "Total"]}
          rows={customer.orders.edges.map(({ node }) => [
            node.number,
            node.orderedOn,
            humanize(node.status),
            formatMoney(node.total),
          ])}
        />
      </Tabs.Panel>
      <Tabs.Panel value="invoices" pt="sm">
        <Rows
          headers={["Number", "Status", "Issued", "Due", "Amount"]}
          rows={customer.invoices.edges.map(({ node }) => [
            node.number,
            humanize(node.status),
            node.issuedOn,
            node.dueOn,
            formatMoney(node.amount),
          ])}
        />
      </Tabs.Panel>
      <Tabs.Panel value="tickets" pt="sm">
        <Rows
          headers={["Subject", "Status", "Priority", "Opened"]}
          rows={customer.tickets.edges.map(({ node }) => [
            node.subject,
            humanize(node.status),
            humanize(node.priority),
            new Date(node.openedAt).toLocaleDateString(),
          ])}
        />
      </Tabs.Panel>
      <Tabs.Panel value="leases" pt="sm">
        <Rows
          headers={["Leased", "Start", "End", "Rate"]}
          rows={customer.leases.edges.map(({ node }) => [
            node.asset?.name ?? node.site?.name ?? "—",
            node.startDate,
            node.endDate,
            `${formatMoney(node.rate)} ${humanize(node.ratePeriod).toLowerCase()}`,
          ])}
        />
      </Tabs.Panel>
      <Tabs.Panel value="history" pt="sm">
        <List spacing="sm" aria-label="Change history">
          {customer.history.edges.map(({ node }) => (
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
      </Tabs.Panel>
    </Tabs>
  );
}
