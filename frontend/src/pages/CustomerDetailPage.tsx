import { Alert, Badge, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useQuery, useSubscription } from "urql";
import { graphql } from "../gql";
import { humanize } from "../lib/money";
import { CustomerActions } from "./customer/CustomerActions";
import { CustomerTabs } from "./customer/CustomerTabs";
import { CustomerFigures } from "./customer/LazyFigures";

const CustomerDetail = graphql(`
  query CustomerDetail($id: ID!, $rows: Int!) {
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
      contacts(first: $rows) { totalCount edges { node { id name title email phone isPrimary } } }
      sites(first: $rows) { totalCount edges { node { id name status address { city country } } } }
      projects(first: $rows) { totalCount edges { node { id name status phase startDate endDate } } }
      assets(first: $rows) { totalCount edges { node { id name serialNumber status ownerCustomer { name } } } }
      ownedAssets(first: $rows) {
        totalCount
        edges { node { id name serialNumber status site { id name } } }
      }
      contracts(first: $rows) { totalCount edges { node { id number status startDate endDate value { amount currency } } } }
      workOrders(first: $rows) {
        totalCount
        edges { node { id number title status scheduledOn site { id name } tasks { totalCount } } }
      }
      opportunities(first: $rows) {
        totalCount
        edges { node { id name stage expectedCloseOn amount { amount currency } } }
      }
      orders(first: $rows) { totalCount edges { node { id number orderedOn status total { amount currency } } } }
      invoices(first: $rows) { totalCount edges { node { id number status issuedOn dueOn amount { amount currency } } } }
      tickets(first: $rows) { totalCount edges { node { id subject status priority openedAt } } }
      leases(first: $rows) {
        totalCount
        edges {
          node { id startDate endDate ratePeriod rate { amount currency } site { id name } asset { id name } }
        }
      }
      priceSchedules(first: $rows) {
        totalCount
        edges { node { id productCode productName validFrom validTo unitPrice { amount currency } } }
      }
      history(first: $rows) {
        totalCount
        pageInfo { hasNextPage endCursor }
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

/** Rows a tab shows at first, and after "show more" (the API's largest page). */
const TAB_ROWS = 10;
const MAX_ROWS = 100;

export function CustomerDetailPage({ customerId }: { customerId: string }) {
  const [rows, setRows] = useState(TAB_ROWS);
  const [result, reexecute] = useQuery({
    query: CustomerDetail,
    variables: { id: customerId, rows },
  });
  const refresh = () => reexecute({ requestPolicy: "network-only" });
  useSubscription({ query: CustomerLive, variables: { id: customerId } }, () => {
    refresh();
    return null;
  });

  if (result.fetching && !result.data) return <Loader aria-label="Loading customer" />;
  if (result.error)
    return (
      <Alert color="red" role="alert">
        The customer could not be loaded: {result.error.message}
      </Alert>
    );
  const customer = result.data?.customer;
  if (!customer) return <Alert role="alert">No such customer.</Alert>;

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
          {customer.description && <Text>{customer.description}</Text>}
          <Group gap={4}>
            {customer.tags.map((tag) => (
              <Badge key={tag} variant="outline">
                {tag}
              </Badge>
            ))}
          </Group>
        </Stack>
        <CustomerActions customer={customer} onChanged={refresh} />
      </Group>
      <CustomerFigures customer={customer} />
      <CustomerTabs
        customer={customer}
        onChanged={refresh}
        onShowMore={rows < MAX_ROWS ? () => setRows(MAX_ROWS) : undefined}
      />
    </Stack>
  );
}
