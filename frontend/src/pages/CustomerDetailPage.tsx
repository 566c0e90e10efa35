import { BarChart, DonutChart } from "@mantine/charts";
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useNavigate } from "@tanstack/react-router";
import { type ReactNode, useState } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { EditCustomerModal } from "../components/EditCustomerModal";
import { graphql } from "../gql";
import type { CustomerDetailQuery } from "../gql/graphql";
import { formatMoney, humanize } from "../lib/money";

const CustomerDetail = graphql(`
  query CustomerDetail($id: ID!) {
    customer(id: $id) {
      id
      name
      customerNumber
      kind
      segment
      status
      isArchived
      version
      description
      email
      phone
      contactTitle
      paymentTerms
      currency
      vatId
      taxId
      sharedFolderUrl
      notes
      createdOn
      tags
      viewerCanEdit
      viewerCanDelete
      owner { id name }
      manager { id name }
      address { street1 street2 city region postalCode country }
      billingContact { name email phone }
      billingAddress { street1 street2 city region postalCode country }
      totalRevenue { amount currency }
      openOpportunityCount
      projectSummary { upcoming active past }
      assetSummary { onLocation owned }
      siteSummary { total active inactive }
      billingSummary {
        invoiced { amount currency }
        paid { amount currency }
        outstanding { amount currency }
        overdue { amount currency }
      }
      deactivationImpact { sitesDeactivated contractsCancelled workOrdersCancelled tasksCancelled }
      contacts(first: 10) { totalCount edges { node { id name title email phone isPrimary } } }
      sites(first: 10) { totalCount edges { node { id name status address { city country } } } }
      projects(first: 10) { totalCount edges { node { id name status phase startDate endDate } } }
      assets(first: 10) { totalCount edges { node { id name serialNumber status ownerCustomer { name } } } }
      ownedAssets(first: 10) { totalCount edges { node { id name serialNumber status site { name } } } }
      contracts(first: 10) { totalCount edges { node { id number status startDate endDate value { amount currency } } } }
      workOrders(first: 10) {
        totalCount
        edges { node { id number title status site { name } tasks { totalCount } } }
      }
      opportunities(first: 10) { totalCount edges { node { id name stage amount { amount currency } } } }
      orders(first: 10) { totalCount edges { node { id number orderedOn status total { amount currency } } } }
      invoices(first: 10) { totalCount edges { node { id number status issuedOn dueOn amount { amount currency } } } }
      tickets(first: 10) { totalCount edges { node { id subject status priority openedAt } } }
      leases(first: 10) {
        totalCount
        edges { node { id startDate endDate ratePeriod rate { amount currency } site { name } asset { name } } }
      }
      history(first: 20) {
        totalCount
        edges { node { id occurredAt action entityType actorName changes { field before after } } }
      }
    }
  }
`);

const CustomerLive = graphql(`
  subscription CustomerLive($id: ID!) {
    customerChanged(id: $id) {
      id
      name
      status
      isArchived
      version
    }
  }
`);

const Deactivate = graphql(`
  mutation DeactivateCustomer($input: CustomerLifecycleInput!) {
    deactivateCustomer(input: $input) {
      customer { id status version }
      cascade { sitesDeactivated contractsCancelled workOrdersCancelled tasksCancelled }
      userErrors { field code message }
    }
  }
`);
const Reactivate = graphql(`
  mutation ReactivateCustomer($input: CustomerLifecycleInput!) {
    reactivateCustomer(input: $input) { customer { id status version } userErrors { code message } }
  }
`);
const Archive = graphql(`
  mutation ArchiveCustomer($input: CustomerLifecycleInput!) {
    archiveCustomer(input: $input) { customer { id isArchived version } userErrors { code message } }
  }
`);
const Unarchive = graphql(`
  mutation UnarchiveCustomer($input: CustomerLifecycleInput!) {
    unarchiveCustomer(input: $input) { customer { id isArchived version } userErrors { code message } }
  }
`);
const Delete = graphql(`
  mutation DeleteCustomer($input: DeleteCustomerInput!) {
    deleteCustomer(input: $input) { deletedCustomerId userErrors { code message } }
  }
`);

type Customer = NonNullable<CustomerDetailQuery["customer"]>;

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      {children}
    </Card>
  );
}

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

function address(value: Customer["address"]): string {
  return [value.street1, value.street2, value.city, value.region, value.postalCode, value.country]
    .filter(Boolean)
    .join(", ");
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

export function CustomerDetailPage({ customerId }: { customerId: string }) {
  const navigate = useNavigate();
  const [result, reexecute] = useQuery({ query: CustomerDetail, variables: { id: customerId } });
  useSubscription({ query: CustomerLive, variables: { id: customerId } }, () => {
    reexecute({ requestPolicy: "network-only" });
    return null;
  });
  const [editing, setEditing] = useState(false);
  const [confirmDeactivate, setConfirmDeactivate] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [, deactivate] = useMutation(Deactivate);
  const [, reactivate] = useMutation(Reactivate);
  const [, archive] = useMutation(Archive);
  const [, unarchive] = useMutation(Unarchive);
  const [, remove] = useMutation(Delete);

  if (result.fetching && !result.data) return <Loader aria-label="Loading customer" />;
  if (result.error)
    return (
      <Alert color="red" role="alert">
        The customer could not be loaded: {result.error.message}
      </Alert>
    );
  const customer = result.data?.customer;
  if (!customer) return <Alert role="alert">No such customer.</Alert>;

  const input = { id: customer.id, expectedVersion: customer.version };
  const reportErrors = (errors: readonly { message: string }[] | undefined) =>
    setActionError(errors?.length ? errors.map((error) => error.message).join(" ") : null);

  async function runDeactivate() {
    const outcome = await deactivate({ input });
    setConfirmDeactivate(false);
    const payload = outcome.data?.deactivateCustomer;
    reportErrors(payload?.userErrors);
    if (payload?.cascade) {
      const c = payload.cascade;
      notifications.show({
        title: "Customer deactivated",
        message: `${c.sitesDeactivated} sites deactivated, ${c.contractsCancelled} contracts, ${c.workOrdersCancelled} work orders and ${c.tasksCancelled} tasks cancelled.`,
      });
    }
    reexecute({ requestPolicy: "network-only" });
  }

  const customerGlobalId = customer.id;
  async function runDelete() {
    const outcome = await remove({ input: { id: customerGlobalId } });
    const payload = outcome.data?.deleteCustomer;
    reportErrors(payload?.userErrors);
    if (payload?.deletedCustomerId) {
      void navigate({ to: "/customers", search: {} });
    }
  }

  const impact = customer.deactivationImpact;
  const tab = (key: string, label: string, count: number) => (
    <Tabs.Tab value={key}>
      {label} ({count})
    </Tabs.Tab>
  );

  return (
    <Stack>
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={1} size="h2">
              {customer.name}
            </Title>
            <Badge color={customer.status === "ACTIVE" ? "green" : "red"}>
              {humanize(customer.status)}
            </Badge>
            {customer.isArchived && <Badge color="gray">Archived</Badge>}
          </Group>
          <Text c="dimmed">
            {customer.customerNumber} · {humanize(customer.kind)} · {humanize(customer.segment)} ·
            owner {customer.owner.name} · manager {customer.manager.name}
          </Text>
          <Group gap={4}>
            {customer.tags.map((tag) => (
              <Badge key={tag} variant="outline">
                {tag}
              </Badge>
            ))}
          </Group>
        </Stack>
        {customer.viewerCanEdit && (
          <Group>
            <Button onClick={() => setEditing(true)}>Edit</Button>
            {customer.status === "ACTIVE" ? (
              <Button color="red" variant="light" onClick={() => setConfirmDeactivate(true)}>
                Deactivate
              </Button>
            ) : (
              <Button
                variant="light"
                onClick={async () =>
                  reportErrors((await reactivate({ input })).data?.reactivateCustomer.userErrors)
                }
              >
                Reactivate
              </Button>
            )}
            {customer.isArchived ? (
              <Button
                variant="default"
                onClick={async () =>
                  reportErrors((await unarchive({ input })).data?.unarchiveCustomer.userErrors)
                }
              >
                Unarchive
              </Button>
            ) : (
              <Button
                variant="default"
                onClick={async () =>
                  reportErrors((await archive({ input })).data?.archiveCustomer.userErrors)
                }
              >
                Archive
              </Button>
            )}
            {customer.viewerCanDelete && (
              <Button color="red" variant="subtle" onClick={runDelete}>
                Delete
              </Button>
            )}
          </Group>
        )}
      </Group>
      {actionError && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setActionError(null)}>
          {actionError}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }}>
        <Figure label="Customer value">
          <Text fw={700} size="xl">
            {formatMoney(customer.totalRevenue)}
          </Text>
          <Text size="sm">{customer.openOpportunityCount} open opportunities</Text>
        </Figure>
        <Figure label="Projects">
          <BarChart
            h={90}
            data={[
              {
                phase: "Projects",
                Upcoming: customer.projectSummary.upcoming,
                Active: customer.projectSummary.active,
                Past: customer.projectSummary.past,
              },
            ]}
            dataKey="phase"
            type="stacked"
            orientation="vertical"
            withXAxis={false}
            withYAxis={false}
            series={[
              { name: "Upcoming", color: "blue.4" },
              { name: "Active", color: "green.6" },
              { name: "Past", color: "gray.5" },
            ]}
          />
          <Text size="sm">
            {customer.projectSummary.upcoming} upcoming · {customer.projectSummary.active} active ·{" "}
            {customer.projectSummary.past} past
          </Text>
        </Figure>
        <Figure label="Assets">
          <DonutChart
            size={70}
            thickness={12}
            data={[
              { name: "On location", value: customer.assetSummary.onLocation, color: "teal.6" },
              { name: "Owned", value: customer.assetSummary.owned, color: "grape.6" },
            ]}
          />
          <Text size="sm">
            {customer.assetSummary.onLocation} on location · {customer.assetSummary.owned} owned
          </Text>
        </Figure>
        <Figure label="Sites">
          <Text fw={700} size="xl">
            {customer.siteSummary.total}
          </Text>
          <Text size="sm">
            {customer.siteSummary.active} active · {customer.siteSummary.inactive} inactive
          </Text>
        </Figure>
        <Figure label="Billing">
          <Text size="sm">Invoiced {formatMoney(customer.billingSummary.invoiced)}</Text>
          <Text size="sm">Paid {formatMoney(customer.billingSummary.paid)}</Text>
          <Text size="sm">Outstanding {formatMoney(customer.billingSummary.outstanding)}</Text>
          <Text
            size="sm"
            c={Number(customer.billingSummary.overdue.amount) > 0 ? "red" : undefined}
          >
            Overdue {formatMoney(customer.billingSummary.overdue)}
          </Text>
        </Figure>
      </SimpleGrid>

      <Card withBorder>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Stack gap={2}>
            <Text fw={600}>Contact</Text>
            <Text size="sm">{customer.contactTitle}</Text>
            <Text size="sm">{customer.email}</Text>
            <Text size="sm">{customer.phone}</Text>
            <Text size="sm">{address(customer.address)}</Text>
          </Stack>
          <Stack gap={2}>
            <Text fw={600}>Billing</Text>
            <Text size="sm">{customer.billingContact.name}</Text>
            <Text size="sm">{customer.billingContact.email}</Text>
            <Text size="sm">{address(customer.billingAddress)}</Text>
            <Text size="sm">Terms: {humanize(customer.paymentTerms)}</Text>
          </Stack>
          <Stack gap={2}>
            <Text fw={600}>Record</Text>
            <Text size="sm">Created on {customer.createdOn}</Text>
            {customer.vatId && <Text size="sm">VAT ID {customer.vatId}</Text>}
            {customer.taxId && <Text size="sm">Tax ID {customer.taxId}</Text>}
            {customer.sharedFolderUrl && (
              <Anchor size="sm" href={customer.sharedFolderUrl} target="_blank" rel="noreferrer">
                Shared folder
              </Anchor>
            )}
            {customer.notes && <Text size="sm">{customer.notes}</Text>}
          </Stack>
        </SimpleGrid>
      </Card>

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
          <Rows
            headers={["Name", "Title", "Email", "Phone", ""]}
            rows={customer.contacts.edges.map(({ node }) => [
              node.name,
              node.title,
              node.email,
              node.phone,
              node.isPrimary ? <Badge key="p">Primary</Badge> : null,
            ])}
          />
        </Tabs.Panel>
        <Tabs.Panel value="sites" pt="sm">
          <Rows
            headers={["Name", "Status", "City", "Country"]}
            rows={customer.sites.edges.map(({ node }) => [
              node.name,
              humanize(node.status),
              node.address.city,
              node.address.country,
            ])}
          />
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

      <EditCustomerModal
        customer={customer}
        opened={editing}
        onClose={() => setEditing(false)}
        onReload={() => reexecute({ requestPolicy: "network-only" })}
      />
      <Modal
        opened={confirmDeactivate}
        onClose={() => setConfirmDeactivate(false)}
        title="Deactivate customer?"
      >
        <Stack>
          <Text>Deactivating {customer.name} will also:</Text>
          <List>
            <List.Item>deactivate {impact.sitesDeactivated} sites</List.Item>
            <List.Item>cancel {impact.contractsCancelled} contracts</List.Item>
            <List.Item>cancel {impact.workOrdersCancelled} open work orders</List.Item>
            <List.Item>cancel {impact.tasksCancelled} tasks</List.Item>
          </List>
          <Text size="sm" c="dimmed">
            Reactivating later restores the customer, not what was cancelled.
          </Text>
          <Group justify="end">
            <Button variant="default" onClick={() => setConfirmDeactivate(false)}>
              Keep active
            </Button>
            <Button color="red" onClick={runDeactivate}>
              Deactivate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
