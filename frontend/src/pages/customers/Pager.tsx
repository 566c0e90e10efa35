import { Group, Select, Text } from "@mantine/core";
import { PageButtons } from "../../components/PageButtons";
import { FIRST_PAGE, type ListSearch, PAGE_SIZES } from "../listSearch";
import type { UpdateList } from "./CustomerFilters";
import type { ListData } from "./listQuery";

const number = new Intl.NumberFormat("en-US");

type Connection = ListData["customers"];

/**
 * Where the page starts in the whole list. Keyset pages do not know their offset: the URL
 * carries it from page to page, and the first and last pages are sure of theirs.
 */
export function pageStart(
  search: ListSearch,
  customers: {
    totalCount: number;
    edges: readonly unknown[];
    pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean };
  },
): number {
  const rows = customers.edges.length;
  if (!customers.pageInfo.hasPreviousPage) return 1;
  if (!customers.pageInfo.hasNextPage) return Math.max(1, customers.totalCount - rows + 1);
  return Math.min(search.start ?? 1, Math.max(1, customers.totalCount - rows + 1));
}

/** "1–25 of 9,500", or "No customers". */
export function rangeText(start: number, rows: number, total: number): string {
  if (rows === 0) return total ? `None of ${number.format(total)} here` : "No customers";
  return `${number.format(start)}–${number.format(start + rows - 1)} of ${number.format(total)}`;
}

/** The range shown, the way to the first, previous, next and last pages, and the page size. */
export function Pager({
  search,
  customers,
  update,
  compact = false,
}: {
  search: ListSearch;
  customers: Connection;
  update: UpdateList;
  compact?: boolean;
}) {
  const { pageInfo, totalCount } = customers;
  const rows = customers.edges.length;
  const start = pageStart(search, customers);
  const size = search.size ?? 25;
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text size="sm" aria-live="polite" data-testid="list-range" style={{ whiteSpace: "nowrap" }}>
        {rangeText(start, rows, totalCount)}
      </Text>
      <Group gap={6} wrap="nowrap">
        <PageButtons
          pageInfo={pageInfo}
          size="lg"
          first={() => update(FIRST_PAGE)}
          previous={() =>
            update({
              ...FIRST_PAGE,
              before: pageInfo.startCursor ?? undefined,
              start: Math.max(1, start - size),
            })
          }
          next={() =>
            update({ ...FIRST_PAGE, after: pageInfo.endCursor ?? undefined, start: start + rows })
          }
          last={() => update({ ...FIRST_PAGE, end: true })}
        />
        {!compact && (
          <Select
            aria-label="Rows per page"
            data={PAGE_SIZES.map((value) => ({ value: String(value), label: `${value} rows` }))}
            value={String(size)}
            onChange={(value) => update({ ...FIRST_PAGE, size: Number(value ?? 25) })}
            allowDeselect={false}
            w={110}
          />
        )}
      </Group>
    </Group>
  );
}
