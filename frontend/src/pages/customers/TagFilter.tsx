import { Group, MultiSelect, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMemo, useState } from "react";
import { useQuery } from "urql";
import { graphql } from "../../gql";
import type { CustomerFilter } from "../../gql/graphql";

const CustomerTags = graphql(`
  query CustomerTags($search: String, $filter: CustomerFilter) {
    customerTags(first: 30, search: $search, filter: $filter) {
      edges {
        node {
          name
          customerCount
        }
      }
    }
  }
`);

const count = new Intl.NumberFormat("en-US");

/**
 * The tags filter: every tag in use, most used first, searched on the server as the viewer
 * types, each with how many customers of the list (its other filters applied) carry it.
 */
export function TagFilter({
  value,
  onChange,
  filter,
  w,
}: {
  value: string[];
  onChange: (tags: string[]) => void;
  filter: CustomerFilter;
  w?: number | string;
}) {
  const [typed, setTyped] = useState("");
  const [search] = useDebouncedValue(typed, 200);
  const others = useMemo(() => ({ ...filter, tags: undefined }), [filter]);
  const [result] = useQuery({
    query: CustomerTags,
    variables: { search: search.trim() || null, filter: others },
    requestPolicy: "cache-and-network",
  });
  const counts = new Map(
    result.data?.customerTags.edges.map((edge) => [edge.node.name, edge.node.customerCount]) ?? [],
  );
  const data = [...new Set([...counts.keys(), ...value])];
  return (
    <MultiSelect
      label="Tags"
      placeholder={value.length ? undefined : "Any tag"}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={typed}
      onSearchChange={setTyped}
      nothingFoundMessage={result.fetching ? "Searching…" : "No tag matches"}
      renderOption={({ option }) => (
        <Group justify="space-between" wrap="nowrap" w="100%" gap="sm">
          <Text size="sm">{option.value}</Text>
          {counts.has(option.value) && (
            <Text size="xs" c="dimmed">
              {count.format(counts.get(option.value) ?? 0)}
            </Text>
          )}
        </Group>
      )}
      clearable
      w={w}
    />
  );
}
