import { Card, Checkbox, Group, Stack, Text } from "@mantine/core";
import { CustomerLink } from "./columns";
import type { Row } from "./listQuery";
import { ArchivedBadge, StatusBadge } from "./StatusBadges";
import type { ListSelection } from "./useListSelection";

const count = new Intl.NumberFormat("en-US");

/** The list on a phone: a card per customer with its name, number, status and city. */
export function CustomerCards({
  rows,
  selection,
  total,
}: {
  rows: readonly Row[];
  selection: ListSelection;
  total: number;
}) {
  if (rows.length === 0) {
    return <Text c="dimmed">No customers match.</Text>;
  }
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Checkbox
          label="Select all on this page"
          checked={selection.page === "all"}
          indeterminate={selection.page === "some"}
          onChange={selection.togglePage}
          size="sm"
        />
        <Text size="sm" c="dimmed">
          {count.format(total)} {total === 1 ? "customer" : "customers"}
        </Text>
      </Group>
      <Stack
        gap="xs"
        component="ul"
        p={0}
        m={0}
        aria-label="Customers"
        style={{ listStyle: "none" }}
      >
        {rows.map((row) => (
          <Card key={row.id} component="li" withBorder padding="sm" data-testid="customer-card">
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Checkbox
                mt={2}
                aria-label={`Select ${row.name}`}
                checked={selection.isSelected(row.id)}
                onChange={() => selection.toggle(row.id)}
              />
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                  <CustomerLink row={row} />
                  <Group gap={4} wrap="nowrap">
                    {row.isArchived && <ArchivedBadge />}
                    <StatusBadge status={row.status} />
                  </Group>
                </Group>
                <Text size="sm" c="dimmed">
                  {[row.customerNumber, row.address.city].filter(Boolean).join(" · ")}
                </Text>
              </Stack>
            </Group>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
