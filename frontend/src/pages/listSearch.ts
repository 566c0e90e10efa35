import type { CustomerFilter, CustomersListQueryVariables } from "../gql/graphql";

/** The list's state, kept in the URL so a reload or a shared link shows the same page. */
export interface ListSearch {
  q?: string | undefined;
  kind?: string | undefined;
  segment?: string | undefined;
  status?: string | undefined;
  tags?: string[] | undefined;
  owner?: string | undefined;
  archived?: "INCLUDE" | "ONLY" | undefined;
  sort?: "NAME" | "CUSTOMER_NUMBER" | "CREATED_ON" | "TOTAL_REVENUE" | undefined;
  dir?: "ASC" | "DESC" | undefined;
  size?: number | undefined;
  after?: string | undefined;
  before?: string | undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.find((item) => item === value);
}

export function parseListSearch(raw: Record<string, unknown>): ListSearch {
  const size = Number(raw.size);
  return {
    q: text(raw.q),
    kind: text(raw.kind),
    segment: text(raw.segment),
    status: text(raw.status),
    tags: Array.isArray(raw.tags)
      ? raw.tags.filter((tag): tag is string => typeof tag === "string")
      : undefined,
    owner: text(raw.owner),
    archived: oneOf(raw.archived, ["INCLUDE", "ONLY"] as const),
    sort: oneOf(raw.sort, ["NAME", "CUSTOMER_NUMBER", "CREATED_ON", "TOTAL_REVENUE"] as const),
    dir: oneOf(raw.dir, ["ASC", "DESC"] as const),
    size: [10, 25, 50, 100].includes(size) ? size : undefined,
    after: text(raw.after),
    before: text(raw.before),
  };
}

export function toFilter(search: ListSearch): CustomersListQueryVariables {
  const filter: CustomerFilter = {};
  if (search.q) filter.search = search.q;
  if (search.kind) filter.kinds = [search.kind as "COMPANY" | "INDIVIDUAL"];
  if (search.segment) filter.segments = [search.segment as "ENTERPRISE" | "SMB" | "STARTUP"];
  if (search.status) filter.statuses = [search.status as "ACTIVE" | "INACTIVE"];
  if (search.tags?.length) filter.tags = search.tags;
  if (search.owner) filter.ownerIds = [search.owner];
  if (search.archived) filter.archived = search.archived;
  const size = search.size ?? 25;
  const page = search.before
    ? { last: size, before: search.before }
    : { first: size, after: search.after ?? null };
  return {
    ...page,
    filter,
    orderBy: { field: search.sort ?? "NAME", direction: search.dir ?? "ASC" },
  };
}
