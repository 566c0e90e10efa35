import { Select, Stack } from "@mantine/core";
import { FIRST_PAGE, type ListSearch, listFilter } from "../listSearch";
import { KIND_OPTIONS, SEGMENT_OPTIONS, STATUS_OPTIONS } from "./options";
import { TagFilter } from "./TagFilter";

export type UpdateList = (changes: Partial<ListSearch>) => void;

/**
 * Search and filters of the list; their state lives in the URL.
 * In a row on wide screens, stacked in the phone's drawer.
 */
export function CustomerFilters({
  search,
  users,
  update,
  stacked = false,
}: {
  search: ListSearch;
  users: { value: string; label: string }[];
  update: UpdateList;
  stacked?: boolean;
}) {
  const w = (width: number) => (stacked ? "100%" : width);
  const change = (changes: Partial<ListSearch>) => update({ ...FIRST_PAGE, ...changes });
  const fields = (
    <>
      <Select
        label="Type"
        clearable
        placeholder="Any"
        data={KIND_OPTIONS}
        value={search.kind ?? null}
        onChange={(value) => change({ kind: value ?? undefined })}
        w={w(130)}
      />
      <Select
        label="Segment"
        clearable
        placeholder="Any"
        data={SEGMENT_OPTIONS}
        value={search.segment ?? null}
        onChange={(value) => change({ segment: value ?? undefined })}
        w={w(130)}
      />
      <Select
        label="Status"
        clearable
        placeholder="Any"
        data={STATUS_OPTIONS}
        value={search.status ?? null}
        onChange={(value) => change({ status: value ?? undefined })}
        w={w(120)}
      />
      <TagFilter
        value={search.tags ?? []}
        onChange={(tags) => change({ tags: tags.length ? tags : undefined })}
        filter={listFilter(search)}
        w={w(230)}
      />
      <Select
        label="Owner"
        clearable
        searchable
        placeholder="Anyone"
        data={users}
        value={search.owner ?? null}
        onChange={(value) => change({ owner: value ?? undefined })}
        w={w(160)}
      />
      <Select
        label="Manager"
        clearable
        searchable
        placeholder="Anyone"
        data={users}
        value={search.manager ?? null}
        onChange={(value) => change({ manager: value ?? undefined })}
        w={w(160)}
      />
      <Select
        label="Archived"
        data={[
          { value: "EXCLUDE", label: "Hide archived" },
          { value: "INCLUDE", label: "Show archived" },
          { value: "ONLY", label: "Only archived" },
        ]}
        value={search.archived ?? "EXCLUDE"}
        onChange={(value) =>
          change({
            archived: value === "EXCLUDE" || !value ? undefined : (value as ListSearch["archived"]),
          })
        }
        allowDeselect={false}
        w={w(150)}
      />
      <Select
        label="Sort by"
        data={[
          { value: "NAME", label: "Name" },
          { value: "CUSTOMER_NUMBER", label: "Customer number" },
          { value: "CREATED_ON", label: "Date created" },
          { value: "TOTAL_REVENUE", label: "Total revenue" },
        ]}
        value={search.sort ?? "NAME"}
        onChange={(value) => change({ sort: (value ?? "NAME") as ListSearch["sort"] })}
        allowDeselect={false}
        w={w(165)}
      />
      <Select
        label="Order"
        data={[
          { value: "ASC", label: "Ascending" },
          { value: "DESC", label: "Descending" },
        ]}
        value={search.dir ?? "ASC"}
        onChange={(value) => change({ dir: value === "DESC" ? "DESC" : "ASC" })}
        allowDeselect={false}
        w={w(130)}
      />
    </>
  );
  return stacked ? <Stack gap="sm">{fields}</Stack> : <>{fields}</>;
}
