import { Anchor, Group, Text } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import type { CustomerOrderField } from "../../gql/graphql";
import { formatMoney } from "../../lib/money";
import type { Row } from "./listQuery";
import { KIND_OPTIONS, labelOf, SEGMENT_OPTIONS } from "./options";
import { ArchivedBadge, StatusBadge } from "./StatusBadges";

/** One column of the list: declared here once, read by the table, the chooser and the cards. */
export interface ListColumn {
  key: string;
  label: string;
  /** The narrowest it gets, in px: past the sum of the columns shown, the table scrolls. */
  width: number;
  /** Shown until the viewer chooses otherwise. */
  shownByDefault: boolean;
  sort?: CustomerOrderField;
  numeric?: boolean;
  cell: (row: Row) => ReactNode;
}

const count = new Intl.NumberFormat("en-US");
const day = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

export function CustomerLink({ row }: { row: Row }) {
  return (
    <Anchor
      fw={500}
      renderRoot={(props) => (
        <Link {...props} to="/customers/$customerId" params={{ customerId: row.id }} />
      )}
    >
      {row.name}
    </Anchor>
  );
}

function siteNames(row: Row): string {
  const names = row.sites.edges.map((edge) => edge.node.name).join(", ");
  const more = row.sites.totalCount - row.sites.edges.length;
  return more > 0 ? `${names} +${more} more` : names;
}

/** The name, always shown first; the others in the order the chooser lists them. */
export const NAME_COLUMN: ListColumn = {
  key: "name",
  label: "Name",
  width: 200,
  shownByDefault: true,
  sort: "NAME",
  cell: (row) => (
    <Group gap={6} wrap="nowrap">
      <CustomerLink row={row} />
      {row.isArchived && <ArchivedBadge />}
    </Group>
  ),
};

export const COLUMNS: readonly ListColumn[] = [
  {
    key: "customerNumber",
    label: "Customer number",
    width: 110,
    shownByDefault: true,
    sort: "CUSTOMER_NUMBER",
    cell: (row) => row.customerNumber,
  },
  {
    key: "kind",
    label: "Type",
    width: 95,
    shownByDefault: true,
    cell: (row) => labelOf(KIND_OPTIONS, row.kind),
  },
  {
    key: "segment",
    label: "Segment",
    width: 95,
    shownByDefault: true,
    cell: (row) => labelOf(SEGMENT_OPTIONS, row.segment),
  },
  {
    key: "status",
    label: "Status",
    width: 95,
    shownByDefault: true,
    cell: (row) => <StatusBadge status={row.status} />,
  },
  {
    key: "city",
    label: "City",
    width: 110,
    shownByDefault: true,
    cell: (row) => row.address.city,
  },
  {
    key: "owner",
    label: "Owner",
    width: 120,
    shownByDefault: true,
    cell: (row) => row.owner.name,
  },
  {
    key: "tags",
    label: "Tags",
    width: 150,
    shownByDefault: true,
    cell: (row) => row.tags.join(", "),
  },
  {
    key: "totalRevenue",
    label: "Total revenue",
    width: 120,
    shownByDefault: true,
    sort: "TOTAL_REVENUE",
    numeric: true,
    cell: (row) => formatMoney(row.totalRevenue),
  },
  {
    key: "openOpportunities",
    label: "Open opportunities",
    width: 110,
    shownByDefault: false,
    numeric: true,
    cell: (row) => count.format(row.openOpportunityCount),
  },
  {
    key: "contactTitle",
    label: "Contact title",
    width: 130,
    shownByDefault: false,
    cell: (row) => row.contactTitle,
  },
  { key: "email", label: "Email", width: 200, shownByDefault: false, cell: (row) => row.email },
  { key: "phone", label: "Phone", width: 140, shownByDefault: false, cell: (row) => row.phone },
  {
    key: "street",
    label: "Street",
    width: 170,
    shownByDefault: false,
    cell: (row) => row.address.street1,
  },
  {
    key: "region",
    label: "Region",
    width: 110,
    shownByDefault: false,
    cell: (row) => row.address.region,
  },
  {
    key: "postalCode",
    label: "Postal code",
    width: 100,
    shownByDefault: false,
    cell: (row) => row.address.postalCode,
  },
  {
    key: "manager",
    label: "Manager",
    width: 120,
    shownByDefault: false,
    cell: (row) => row.manager.name,
  },
  { key: "sites", label: "Sites", width: 200, shownByDefault: false, cell: siteNames },
  {
    key: "assets",
    label: "Assets",
    width: 150,
    shownByDefault: false,
    cell: (row) => (
      <Text span size="sm">
        {`${row.assetSummary.onLocation} on site, ${row.assetSummary.owned} owned`}
      </Text>
    ),
  },
  {
    key: "createdOn",
    label: "Date created",
    width: 110,
    shownByDefault: false,
    sort: "CREATED_ON",
    cell: (row) => day.format(new Date(`${row.createdOn}T00:00:00Z`)),
  },
];

export const DEFAULT_COLUMNS: readonly string[] = COLUMNS.filter(
  (column) => column.shownByDefault,
).map((column) => column.key);
