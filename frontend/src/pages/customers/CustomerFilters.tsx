import { Group, MultiSelect, Select, TextInput } from "@mantine/core";
import type { ListSearch } from "../listSearch";

const KNOWN_TAGS = ["VIP", "Partner", "Public", "Reseller", "Key account"];

/** Search and filters of the list; their state lives in the URL. */
export function CustomerFilters({
  search,
  text,
  onText,
  users,
  update,
}: {
  search: ListSearch;
  text: string;
  onText: (text: string) => void;
  users: { value: string; label: string }[];
  update: (changes: Partial<ListSearch>) => void;
}) {
  return (
    <Group align="end" wrap="wrap">
      <TextInput
        label="Search"
        placeholder="Name, number, contact or email"
        value={text}
        onChange={(event) => onText(event.currentTarget.value)}
        w={260}
      />
      <Select
        label="Type"
        clearable
        data={[
          { value: "COMPANY", label: "Company" },
          { value: "INDIVIDUAL", label: "Individual" },
        ]}
        value={search.kind ?? null}
        onChange={(value) => update({ kind: value ?? undefined })}
        w={140}
      />
      <Select
        label="Segment"
        clearable
        data={[
          { value: "ENTERPRISE", label: "Enterprise" },
          { value: "SMB", label: "SMB" },
          { value: "STARTUP", label: "Startup" },
        ]}
        value={search.segment ?? null}
        onChange={(value) => update({ segment: value ?? undefined })}
        w={140}
      />
      <Select
        label="Status"
        clearable
        data={[
          { value: "ACTIVE", label: "Active" },
          { value: "INACTIVE", label: "Inactive" },
        ]}
        value={search.status ?? null}
        onChange={(value) => update({ status: value ?? undefined })}
        w={130}
      />
      <MultiSelect
        label="Tags"
        data={[...new Set([...KNOWN_TAGS, ...(search.tags ?? [])])]}
        value={search.tags ?? []}
        onChange={(value) => update({ tags: value.length ? value : undefined })}
        w={200}
        searchable
      />
      <Select
        label="Owner"
        clearable
        searchable
        data={users}
        value={search.owner ?? null}
        onChange={(value) => update({ owner: value ?? undefined })}
        w={180}
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
          update({
            archived: value === "EXCLUDE" || !value ? undefined : (value as ListSearch["archived"]),
          })
        }
        w={160}
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
        onChange={(value) => update({ sort: (value ?? "NAME") as ListSearch["sort"] })}
        allowDeselect={false}
        w={170}
      />
      <Select
        label="Order"
        data={[
          { value: "ASC", label: "Ascending" },
          { value: "DESC", label: "Descending" },
        ]}
        value={search.dir ?? "ASC"}
        onChange={(value) => update({ dir: value === "DESC" ? "DESC" : "ASC" })}
        allowDeselect={false}
        w={140}
      />
    </Group>
  );
}
