import { Alert, Badge, Button, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useQuery } from "urql";
import { graphql } from "../gql";
import { useLiveChanges } from "../graphql/liveChanges";
import { friendlyError } from "../lib/friendlyError";
import { enumLabel } from "../lib/labels";
import { CustomerActions } from "./customer/CustomerActions";
import { CustomerTabs } from "./customer/CustomerTabs";
import { CustomerFigures } from "./customer/LazyFigures";
import { ArchivedBadge, StatusBadge } from "./customers/StatusBadges";
import { CustomerNotFound } from "./NotFoundPage";

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
      customerValue { amount currency }
      contacts { totalCount }
      sites(first: 100) { totalCount edges { node { id name } } }
      projects { totalCount }
      assets { totalCount }
      ownedAssets { totalCount }
      contracts { totalCount }
      workOrders { totalCount }
      opportunities { totalCount }
      orders { totalCount }
      invoices { totalCount }
      tickets { totalCount }
      leases { totalCount }
      priceSchedules { totalCount }
      history { totalCount }
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

export function CustomerDetailPage({ customerId }: { customerId: string }) {
  const [result, reexecute] = useQuery({ query: CustomerDetail, variables: { id: customerId } });
  // An edit or a live change reloads the figures and the section shown.
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = () => {
    reexecute({ requestPolicy: "network-only" });
    setRefreshKey((key) => key + 1);
  };
  useLiveChanges(CustomerLive, { id: customerId }, refresh);

  if (result.fetching && !result.data) return <Loader aria-label="Loading customer" />;
  // An id that names no customer, or is no id at all, is a customer not found; a failed
  // request is said as such, with a retry, never in the server's words.
  if (result.error && !result.error.networkError && !result.data?.customer) {
    return <CustomerNotFound />;
  }
  if (result.error && !result.data?.customer)
    return (
      <Alert color="red" role="alert" title="The customer could not be loaded">
        <Stack gap="xs" align="start">
          {friendlyError(result.error, "The customer could not be loaded")}
          <Button size="xs" onClick={refresh}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  const customer = result.data?.customer;
  if (!customer) return <CustomerNotFound />;

  return (
    <Stack style={{ minWidth: 0 }}>
      <Group justify="space-between" align="start" gap="sm">
        <Stack gap={4} style={{ flex: "1 1 20rem", minWidth: 0 }}>
          <Group gap="xs">
            <Title order={1} size="h2" style={{ overflowWrap: "anywhere" }}>
              {customer.name}
            </Title>
            <StatusBadge status={customer.status} />
            {customer.isArchived && <ArchivedBadge />}
          </Group>
          <Text c="dimmed">
            {[
              customer.customerNumber,
              enumLabel(customer.kind),
              enumLabel(customer.segment),
              `owner ${customer.owner.name}`,
              `manager ${customer.manager.name}`,
            ].join(" · ")}
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
      <CustomerTabs customer={customer} onChanged={refresh} refreshKey={refreshKey} />
    </Stack>
  );
}
