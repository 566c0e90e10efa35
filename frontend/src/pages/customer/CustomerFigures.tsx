import { BarChart, DonutChart } from "@mantine/charts";
import { Anchor, Card, SimpleGrid, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { formatMoney, humanize } from "../../lib/money";
import type { Customer } from "./types";

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

function address(value: Customer["address"]): string {
  return [value.street1, value.street2, value.city, value.region, value.postalCode, value.country]
    .filter(Boolean)
    .join(", ");
}

/** The overview: value, projects, assets, sites, billing; then contact and billing. */
export function CustomerFigures({ customer }: { customer: Customer }) {
  return (
    <>
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
    </>
  );
}
