import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useMemo, useState } from "react";
import { useQuery, useSubscription } from "urql";
import { CreateCustomerModal } from "../components/CreateCustomerModal";
import { graphql } from "../gql";
import type { CustomerOrderField, CustomersListQuery } from "../gql/graphql";
import { downloadCsv, toCsv } from "../lib/csv";
import { humanize } from "../lib/money";
import { CustomerFilters } from "./customers/CustomerFilters";
import { type ListSearch, toFilter } from "./listSearch";

const CustomersList = graphql(`
  query CustomersList(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $filter: CustomerFilter
    $orderBy: CustomerOrder
  ) {
    viewer {
      permissions
    }
    users(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
    customers(
      first: $first
      after: $after
      last: $last
      before: $before
      filter: $filter
      orderBy: $orderBy
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          kind
          segment
          name
          customerNumber
          contactTitle
          email
          status
          isArchived
          tags
          address {
            street1
            city
            region
            postalCode
          }
          owner {
            id
            name
          }
          manager {
            id
            name
          }
          sites(first: 3) {
            totalCount
            edges {
              node {
                id
                name
              }
            }
          }
          assetSummary {
            onLocation
            owned
          }
        }
      }
    }
  }
`);

const CustomerFeed = graphql(`
  subscription CustomerFeed {
    customerEvents {
      action
    }
  }
`);

type Row = NonNullable<CustomersListQuery["customers"]>["edges"][number]["node"];

const COLUMNS = [
  "Type",
  "Segment",
  "Name",
  "Customer number",
  "Contact title",
  "Email",
  "Street",
  "City",
  "Region",
  "Postal code",
  "Status",
  "Owner",
  "Manager",
  "Tags",
  "Sites",
  "Assets",
] as const;

function siteNames(row: Row): string {
  const names = row.sites.edges.map((edge) => edge.node.name).join(", ");
  const more = row.sites.totalCount - row.sites.edges.length;
  return more > 0 ? `${names} +${more} more` : names;
}

function assetCounts(row: Row): string {
  const { onLocation, owned } = row.assetSummary;
  return `${onLocation} on site, ${owned} owned`;
}

function csvRow(row: Row): string[] {
  return [
    humanize(row.kind),
    humanize(row.segment),
    row.name,
    row.customerNumber,
    row.contactTitle ?? "",
    row.email ?? "",
    row.address.street1 ?? "",
    row.address.city ?? "",
    row.address.region ?? "",
    row.address.postalCode ?? "",
    humanize(row.status),
    row.owner.name,
    row.manager.name,
    row.tags.join("; "),
    siteNames(row),
    assetCounts(row),
  ];
}

const SORTABLE: Partial<Record<(typeof COLUMNS)[number], CustomerOrderField>> = {
  Name: "NAME",
  "Customer number": "CUSTOMER_NUMBER",
};

export function CustomerListPage({ search }: { search: ListSearch }) {
  const navigate = useNavigate();
  const [text, setText] = useState(search.q ?? "");
  const [debounced] = useDebouncedValue(text, 300);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [creating, setCreating] = useState(false);

  const update = (changes: Partial<ListSearch>) =>
    navigate({
      to: "/customers",
      search: { ...search, after: undefined, before: undefined, ...changes },
    });

  useEffect(() => {
    if ((search.q ?? "") !== debounced) {
      void navigate({
        to: "/customers",
        search: { ...search, q: debounced || undefined, after: undefined, before: undefined },
      });
    }
  }, [debounced, search, navigate]);

  const variables = useMemo(() => toFilter(search), [search]);
  const [result, reexecute] = useQuery({ query: CustomersList, variables });
  useSubscription({ query: CustomerFeed }, () => {
    reexecute({ requestPolicy: "network-only" });
    return null;
  });

  const data = result.data;
  const rows = data?.customers.edges.map((edge) => edge.node) ?? [];
  const users =
    data?.users.edges.map((edge) => ({ value: edge.node.id, label: edge.node.name })) ?? [];
  const canCreate = data?.viewer.permissions.includes("CREATE_CUSTOMERS") ?? false;
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));

  function toggle(id: string) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  }

  function exportSelected() {
    const chosen = rows.filter((row) => selected.has(row.id));
    downloadCsv("customers.csv", toCsv(COLUMNS, chosen.map(csvRow)));
  }

  function sortBy(field: CustomerOrderField) {
    const direction = search.sort === field && search.dir !== "DESC" ? "DESC" : "ASC";
    void update({ sort: field, dir: direction });
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Customers
        </Title>
        <Group>
          <Button variant="default" disabled={selected.size === 0} onClick={exportSelected}>
            Export selected ({selected.size}) to CSV
          </Button>
          {canCreate && (
            <Button variant="default" component={Link} to="/import">
              Import CSV
            </Button>
          )}
          {canCreate && <Button onClick={() => setCreating(true)}>Add customer</Button>}
        </Group>
      </Group>
      <CustomerFilters
        search={search}
        text={text}
        onText={setText}
        users={users}
        update={(changes) => void update(changes)}
      />

      {result.error && (
        <Alert color="red" role="alert">
          Customers could not be loaded: {result.error.message}
        </Alert>
      )}
      {result.fetching && !data && <Loader aria-label="Loading customers" />}
      {data && (
        <>
          <Text size="sm" aria-live="polite">
            {data.customers.totalCount} customers
          </Text>
          <Table.ScrollContainer minWidth={1300}>
            <Table striped highlightOnHover stickyHeader>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>
                    <Checkbox
                      aria-label="Select all on this page"
                      checked={allSelected}
                      onChange={() =>
                        setSelected(allSelected ? new Set() : new Set(rows.map((row) => row.id)))
                      }
                    />
                  </Table.Th>
                  {COLUMNS.map((column) => {
                    const field = SORTABLE[column];
                    return (
                      <Table.Th
                        key={column}
                        aria-sort={
                          field && search.sort === field
                            ? search.dir === "DESC"
                              ? "descending"
                              : "ascending"
                            : undefined
                        }
                      >
                        {field ? (
                          <UnstyledButton onClick={() => sortBy(field)} fw={600}>
                            {column}
                            {search.sort === field ? (search.dir === "DESC" ? " ▼" : " ▲") : ""}
                          </UnstyledButton>
                        ) : (
                          column
                        )}
                      </Table.Th>
                    );
                  })}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={COLUMNS.length + 1}>
                      <Text c="dimmed">No customers match.</Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {rows.map((row) => (
                  <Table.Tr key={row.id}>
                    <Table.Td>
                      <Checkbox
                        aria-label={`Select ${row.name}`}
                        checked={selected.has(row.id)}
                        onChange={() => toggle(row.id)}
                      />
                    </Table.Td>
                    <Table.Td>{humanize(row.kind)}</Table.Td>
                    <Table.Td>{humanize(row.segment)}</Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Anchor
                          renderRoot={(props) => (
                            <Link
                              {...props}
                              to="/customers/$customerId"
                              params={{ customerId: row.id }}
                            />
                          )}
                        >
                          {row.name}
                        </Anchor>
                        {row.isArchived && (
                          <Badge color="gray" size="sm">
                            Archived
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{row.customerNumber}</Table.Td>
                    <Table.Td>{row.contactTitle}</Table.Td>
                    <Table.Td>{row.email}</Table.Td>
                    <Table.Td>{row.address.street1}</Table.Td>
                    <Table.Td>{row.address.city}</Table.Td>
                    <Table.Td>{row.address.region}</Table.Td>
                    <Table.Td>{row.address.postalCode}</Table.Td>
                    <Table.Td>
                      <Badge
                        color={row.status === "ACTIVE" ? "green" : "red"}
                        variant="light"
                        style={{ overflow: "visible" }}
                        miw="fit-content"
                      >
                        {humanize(row.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{row.owner.name}</Table.Td>
                    <Table.Td>{row.manager.name}</Table.Td>
                    <Table.Td>{row.tags.join(", ")}</Table.Td>
                    <Table.Td>{siteNames(row)}</Table.Td>
                    <Table.Td>{assetCounts(row)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group>
            <Button
              variant="default"
              disabled={!data.customers.pageInfo.hasPreviousPage}
              onClick={() =>
                void navigate({
                  to: "/customers",
                  search: {
                    ...search,
                    after: undefined,
                    before: data.customers.pageInfo.startCursor ?? undefined,
                  },
                })
              }
            >
              Previous page
            </Button>
            <Button
              variant="default"
              disabled={!data.customers.pageInfo.hasNextPage}
              onClick={() =>
                void navigate({
                  to: "/customers",
                  search: {
                    ...search,
                    before: undefined,
                    after: data.customers.pageInfo.endCursor ?? undefined,
                  },
                })
              }
            >
              Next page
            </Button>
            <Select
              aria-label="Page size"
              data={["10", "25", "50", "100"]}
              value={String(search.size ?? 25)}
              onChange={(value) => void update({ size: Number(value ?? 25) })}
              w={90}
            />
          </Group>
        </>
      )}
      <CreateCustomerModal
        users={users}
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
