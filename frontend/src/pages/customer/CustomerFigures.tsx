import { BarChart, DonutChart } from "@mantine/charts";
import { Anchor, Card, ColorSwatch, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { plural } from "../../lib/labels";
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

/** A chart's key: each series' colour, name and count, as text people can read. */
function Legend({
  label,
  items,
}: {
  label: string;
  items: { name: string; value: number; color: string }[];
}) {
  return (
    <Group gap="xs" mt={4} aria-label={label} role="list">
      {items.map((item) => (
        <Group key={item.name} gap={4} wrap="nowrap" role="listitem">
          <ColorSwatch color={`var(--mantine-color-${item.color.replace(".", "-")})`} size={10} />
          <Text size="sm">
            {item.name} {item.value}
          </Text>
        </Group>
      ))}
    </Group>
  );
}

/** The overview: value, projects, assets, sites, billing; then contact and billing. */
export function CustomerFigures({ customer }: { customer: Customer }) {
  const phases = [
    { name: "Upcoming", value: customer.projectSummary.upcoming, color: "blue.4" },
    { name: "Active", value: customer.projectSummary.active, color: "green.6" },
    { name: "Past", value: customer.projectSummary.past, color: "gray.5" },
  ];
  const assets = [
    { name: "On location", value: customer.assetSummary.onLocation, color: "teal.6" },
    { name: "Owned", value: customer.assetSummary.owned, color: "grape.6" },
  ];
  return (
    <>
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 5 }}>
        <Figure label="Customer value">
          <Text fw={700} size="xl" data-testid="customer-value">
            {formatMoney(customer.customerValue)}
          </Text>
          <Text size="sm">
            {formatMoney(customer.totalRevenue)} ordered ·{" "}
            {formatMoney(customer.billingSummary.paid)} paid on invoices
          </Text>
          <Text size="sm">
            {plural(customer.openOpportunityCount, "open opportunity", "open opportunities")}
          </Text>
        </Figure>
        <Figure label="Projects">
          <BarChart
            h={60}
            data={[
              {
                phase: "Projects",
                ...Object.fromEntries(phases.map((phase) => [phase.name, phase.value])),
              },
            ]}
            dataKey="phase"
            type="stacked"
            orientation="vertical"
            withXAxis={false}
            withYAxis={false}
            withTooltip={false}
            gridAxis="none"
            series={phases.map(({ name, color }) => ({ name, color }))}
          />
          <Legend label="Projects by phase" items={phases} />
        </Figure>
        <Figure label="Assets">
          <Group gap="sm" wrap="nowrap" align="center">
            <DonutChart size={64} thickness={12} withTooltip={false} data={assets} />
            <Legend label="Assets by place" items={assets} />
          </Group>
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
            <Text size="sm" style={{ overflowWrap: "anywhere" }}>
              {address(customer.address)}
            </Text>
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
