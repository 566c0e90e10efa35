import { Alert, Box, Button, Drawer, Group, Loader, Stack, TextInput, Title } from "@mantine/core";
import { useDebouncedCallback, useDisclosure, useMediaQuery } from "@mantine/hooks";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useMemo, useRef, useState } from "react";
import { useQuery } from "urql";
import { useViewer } from "../auth/SessionContext";
import { CreateCustomerModal } from "../components/CreateCustomerModal";
import { useLiveChanges } from "../graphql/liveChanges";
import { useRemembered } from "../lib/useRemembered";
import { ColumnChooser } from "./customers/ColumnChooser";
import { CustomerCards } from "./customers/CustomerCards";
import { CustomerFilters, type UpdateList } from "./customers/CustomerFilters";
import { CustomerTable } from "./customers/CustomerTable";
import { CustomerFeed, CustomersList } from "./customers/listQuery";
import { Pager } from "./customers/Pager";
import { SelectionBar } from "./customers/SelectionBar";
import { useColumnChoice } from "./customers/useColumnChoice";
import { useListSelection } from "./customers/useListSelection";
import {
  activeFilterCount,
  FIRST_PAGE,
  filterKey,
  type ListSearch,
  NO_FILTERS,
  toFilter,
} from "./listSearch";

const count = new Intl.NumberFormat("en-US");

/** Below Mantine's `sm` breakpoint the list is cards, and the filters wait in a drawer. */
const WIDE = "(min-width: 48em)";

/**
 * The search box's text, written to the URL a moment after typing stops, in place of the
 * current history entry: typing makes no entries of its own, so Back leaves the list.
 * A URL changed from outside (Back, a link) puts its search back in the box.
 */
function useSearchText(q: string | undefined): [string, (text: string) => void] {
  const navigate = useNavigate();
  const [text, setText] = useState(q ?? "");
  const written = useRef(q ?? "");
  useEffect(() => {
    if ((q ?? "") !== written.current) {
      written.current = q ?? "";
      setText(q ?? "");
    }
  }, [q]);
  const write = useDebouncedCallback((value: string) => {
    written.current = value;
    void navigate({
      to: "/customers",
      search: (previous: ListSearch) => ({ ...previous, ...FIRST_PAGE, q: value || undefined }),
      replace: true,
    });
  }, 300);
  return [
    text,
    (value: string) => {
      setText(value);
      write(value);
    },
  ];
}

function SearchBox({ q, wide }: { q: string | undefined; wide: boolean }) {
  const [text, setText] = useSearchText(q);
  return (
    <TextInput
      label="Search"
      placeholder="Name, number, contact or email"
      value={text}
      onChange={(event) => setText(event.currentTarget.value)}
      w={wide ? 250 : undefined}
      style={wide ? undefined : { flex: 1 }}
    />
  );
}

export function CustomerListPage({ search }: { search: ListSearch }) {
  const navigate = useNavigate();
  const viewer = useViewer();
  const wide = useMediaQuery(WIDE, true, { getInitialValueInEffect: false });
  const [creating, setCreating] = useState(false);
  const [filtersOpen, filters] = useDisclosure(false);
  const columns = useColumnChoice(viewer.id);

  const update: UpdateList = (changes) =>
    void navigate({
      to: "/customers",
      search: (previous: ListSearch) => ({ ...previous, ...changes }),
    });

  const variables = useMemo(() => toFilter(search), [search]);
  const [result, reexecute] = useQuery({ query: CustomersList, variables });
  useLiveChanges(CustomerFeed, {}, () => reexecute({ requestPolicy: "network-only" }));

  const data = result.data;
  const rows = data?.customers.edges.map((edge) => edge.node) ?? [];
  const users =
    data?.users.edges.map((edge) => ({ value: edge.node.id, label: edge.node.name })) ?? [];
  const permissions = useRemembered(data?.viewer.permissions);
  const canCreate = permissions?.includes("CREATE_CUSTOMERS") ?? false;
  const total = data?.customers.totalCount ?? 0;
  const selection = useListSelection(
    filterKey(search),
    rows.map((row) => row.id),
    total,
  );
  const narrowing = activeFilterCount(search);

  return (
    <Stack
      gap="sm"
      style={
        wide
          ? {
              height:
                "calc(100dvh - var(--app-shell-header-offset, 56px) - 2 * var(--mantine-spacing-md))",
              minHeight: 560,
            }
          : undefined
      }
    >
      <Group justify="space-between" wrap="nowrap">
        <Title order={1} size="h2">
          Customers
        </Title>
        <Group gap="xs" wrap="nowrap">
          {canCreate && wide && (
            <Button variant="default" component={Link} to="/import">
              Import CSV
            </Button>
          )}
          {canCreate && <Button onClick={() => setCreating(true)}>Add customer</Button>}
        </Group>
      </Group>

      {wide ? (
        <Group align="end" gap="sm" wrap="wrap">
          <SearchBox q={search.q} wide />
          <CustomerFilters search={search} users={users} update={update} />
          <ColumnChooser
            chosen={columns.chosen}
            onChange={columns.choose}
            onReset={columns.reset}
          />
          {narrowing > 0 && (
            <Button variant="subtle" onClick={() => update(NO_FILTERS)}>
              Clear filters
            </Button>
          )}
        </Group>
      ) : (
        <Group align="end" gap="xs" wrap="nowrap">
          <SearchBox q={search.q} wide={false} />
          <Button variant="default" onClick={filters.open}>
            {narrowing ? `Filters (${narrowing})` : "Filters"}
          </Button>
          <Drawer
            opened={filtersOpen}
            onClose={filters.close}
            title="Filters"
            position="bottom"
            size="85%"
          >
            <Stack>
              <CustomerFilters search={search} users={users} update={update} stacked />
              <Button onClick={filters.close}>
                {data ? `Show ${count.format(total)} customers` : "Show customers"}
              </Button>
              <Button variant="default" disabled={!narrowing} onClick={() => update(NO_FILTERS)}>
                Clear filters
              </Button>
            </Stack>
          </Drawer>
        </Group>
      )}

      {result.error && (
        <Alert color="red" role="alert" title="Customers could not be loaded">
          {result.error.message}
        </Alert>
      )}
      {result.fetching && !data && <Loader aria-label="Loading customers" />}
      {data && (
        <>
          {(wide || selection.count > 0) && (
            <Group justify="space-between" gap="xs" wrap="wrap" mih={36}>
              <SelectionBar selection={selection} search={search} total={total} />
              {wide && (
                <Box ml="auto">
                  <Pager search={search} customers={data.customers} update={update} />
                </Box>
              )}
            </Group>
          )}
          {wide ? (
            <CustomerTable
              rows={rows}
              columns={columns.shown}
              selection={selection}
              search={search}
              update={update}
            />
          ) : (
            <>
              <CustomerCards rows={rows} selection={selection} total={total} />
              <Pager search={search} customers={data.customers} update={update} compact />
            </>
          )}
        </>
      )}
      <CreateCustomerModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          void navigate({ to: "/customers/$customerId", params: () => ({ customerId: id }) });
        }}
      />
    </Stack>
  );
}
