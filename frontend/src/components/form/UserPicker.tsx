import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { type ReactNode, useMemo, useState } from "react";
import { useQuery } from "urql";
import { graphql } from "../../gql";
import type { Option } from "./spec";

const PickUsers = graphql(`
  query PickUsers($search: String) {
    users(first: 20, search: $search) { edges { node { id name } } }
  }
`);

/** One person, found by name as one types (the server searches every active user). */
export function UserPicker({
  label,
  value,
  onChange,
  known = [],
  error,
  placeholder,
  description,
  required = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  known?: Option[] | undefined;
  error?: ReactNode;
  placeholder?: string | undefined;
  description?: string | undefined;
  /** Someone must be chosen: the choice can be changed, not cleared. */
  required?: boolean;
}) {
  const [search, setSearch] = useState("");
  const [chosen, setChosen] = useState<Option[]>([]);
  const labelled = useMemo(() => [...chosen, ...known], [chosen, known]);
  const selected = labelled.find((option) => option.value === value);
  // Showing the chosen person's name is not a search: the list then offers everyone.
  const typed = search.trim() && search !== selected?.label ? search.trim() : "";
  const [debounced] = useDebouncedValue(typed, 200);
  const [result] = useQuery({ query: PickUsers, variables: { search: debounced || null } });
  const found = result.data?.users.edges.map(({ node }) => ({ value: node.id, label: node.name }));
  const data = useMemo(() => {
    const options = [...(found ?? [])];
    if (selected && !options.some((option) => option.value === selected.value)) {
      options.unshift(selected);
    }
    return options;
  }, [found, selected]);

  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      data={data}
      value={value || null}
      onChange={(next, option) => {
        if (option) setChosen((previous) => [option, ...previous]);
        onChange(next ?? "");
      }}
      searchable
      clearable={!required}
      withAsterisk={required}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={result.fetching ? "Searching…" : "No one by that name"}
      error={error}
    />
  );
}
