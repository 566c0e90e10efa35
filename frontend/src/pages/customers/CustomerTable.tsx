import { Box, Checkbox, Table, Text, UnstyledButton } from "@mantine/core";
import type { CustomerOrderField } from "../../gql/graphql";
import { FIRST_PAGE, type ListSearch } from "../listSearch";
import type { UpdateList } from "./CustomerFilters";
import { type ListColumn, NAME_COLUMN } from "./columns";
import type { Row } from "./listQuery";
import type { ListSelection } from "./useListSelection";

const CHECKBOX_WIDTH = 44;

function SortableHeader({
  column,
  search,
  update,
}: {
  column: ListColumn;
  search: ListSearch;
  update: UpdateList;
}) {
  const field: CustomerOrderField | undefined = column.sort;
  const active = field !== undefined && (search.sort ?? "NAME") === field;
  const descending = active && search.dir === "DESC";
  return (
    <Table.Th
      miw={column.width}
      ta={column.numeric ? "right" : undefined}
      style={{ whiteSpace: "nowrap" }}
      aria-sort={active ? (descending ? "descending" : "ascending") : undefined}
    >
      {field ? (
        <UnstyledButton
          fw={700}
          fz="sm"
          onClick={() =>
            update({ ...FIRST_PAGE, sort: field, dir: active && !descending ? "DESC" : "ASC" })
          }
        >
          {column.label}
          {active ? (descending ? " ▼" : " ▲") : ""}
        </UnstyledButton>
      ) : (
        column.label
      )}
    </Table.Th>
  );
}

/**
 * The list as a table for wide screens. It scrolls inside its own box, so the header stays
 * in view; sideways only when the chosen columns are wider than the screen.
 */
export function CustomerTable({
  rows,
  columns,
  selection,
  search,
  update,
}: {
  rows: readonly Row[];
  columns: readonly ListColumn[];
  selection: ListSelection;
  search: ListSearch;
  update: UpdateList;
}) {
  const all = [NAME_COLUMN, ...columns];
  const minWidth = CHECKBOX_WIDTH + all.reduce((sum, column) => sum + column.width, 0);
  return (
    <Box
      data-testid="customer-table"
      style={{ overflow: "auto", flex: "1 1 0", minHeight: 320, borderRadius: 4 }}
      bd="1px solid var(--mantine-color-default-border)"
    >
      <Table striped highlightOnHover stickyHeader miw={minWidth} verticalSpacing={6}>
        <Table.Thead style={{ zIndex: 2 }}>
          <Table.Tr>
            <Table.Th w={CHECKBOX_WIDTH}>
              <Checkbox
                aria-label="Select all on this page"
                checked={selection.page === "all"}
                indeterminate={selection.page === "some"}
                disabled={rows.length === 0}
                onChange={selection.togglePage}
              />
            </Table.Th>
            {all.map((column) => (
              <SortableHeader key={column.key} column={column} search={search} update={update} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={all.length + 1}>
                <Text c="dimmed" py="md">
                  No customers match.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rows.map((row) => (
            <Table.Tr
              key={row.id}
              bg={selection.isSelected(row.id) ? "var(--mantine-primary-color-light)" : undefined}
            >
              <Table.Td>
                <Checkbox
                  aria-label={`Select ${row.name}`}
                  checked={selection.isSelected(row.id)}
                  onChange={() => selection.toggle(row.id)}
                />
              </Table.Td>
              {all.map((column) => (
                <Table.Td
                  key={column.key}
                  ta={column.numeric ? "right" : undefined}
                  style={
                    column.numeric || column.key === "status" ? { whiteSpace: "nowrap" } : undefined
                  }
                >
                  {column.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
