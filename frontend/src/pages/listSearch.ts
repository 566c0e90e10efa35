import type { CustomerFilter, CustomersListQueryVariables } from "../gql/graphql";

export const PAGE_SIZES = [10, 25, 50, 100] as const;
const SORTS = ["NAME", "CUSTOMER_NUMBER", "CREATED_ON", "TOTAL_REVENUE"] as const;

/** The list's state, kept in the URL so a reload or a shared link shows the same page. */
export interface ListSearch {
  q?: string | undefined;
  kind?: string | undefined;
  segment?: string | undefined;
  status?: string | undefined;
  tags?: string[] | undefined;
  owner?: string | undefined;
  manager?: string | undefined;
  archived?: "INCLUDE" | "ONLY" | undefined;
  sort?: (typeof SORTS)[number] | undefined;
  dir?: "ASC" | "DESC" | undefined;
  size?: number | undefined;
  after?: string | undefined;
  before?: string | undefined;
  /** The last page (`last: size`, no cursor). */
  end?: true | undefined;
  /** Where the page starts in the whole list (1 = the first row), for "26–50 of 9,500". */
  start?: number | undefined;
}

/** What a change of filter, order or page size resets: the list starts on its first page. */
export const FIRST_PAGE = {
  after: undefined,
  before: undefined,
  end: undefined,
  start: undefined,
} as const;

/** What "Clear filters" resets; the search and the order stay. */
export const NO_FILTERS = {
  ...FIRST_PAGE,
  kind: undefined,
  segment: undefined,
  status: undefined,
  tags: undefined,
  owner: undefined,
  manager: undefined,
  archived: undefined,
} as const;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.find((item) => item === value);
}

export function parseListSearch(raw: Record<string, unknown>): ListSearch {
  const size = Number(raw.size);
  const start = Number(raw.start);
  return {
    q: text(raw.q),
    kind: text(raw.kind),
    segment: text(raw.segment),
    status: text(raw.status),
    tags: Array.isArray(raw.tags)
      ? raw.tags.filter((tag): tag is string => typeof tag === "string")
      : undefined,
    owner: text(raw.owner),
    manager: text(raw.manager),
    archived: oneOf(raw.archived, ["INCLUDE", "ONLY"] as const),
    sort: oneOf(raw.sort, SORTS),
    dir: oneOf(raw.dir, ["ASC", "DESC"] as const),
    size: PAGE_SIZES.find((allowed) => allowed === size),
    after: text(raw.after),
    before: text(raw.before),
    end: raw.end === true || raw.end === "true" ? true : undefined,
    start: Number.isInteger(start) && start > 1 ? start : undefined,
  };
}

/** The customers the list shows, whatever the page: `customers(filter:)`. */
export function listFilter(search: ListSearch): CustomerFilter {
  const filter: CustomerFilter = {};
  if (search.q) filter.search = search.q;
  if (search.kind) filter.kinds = [search.kind as "COMPANY" | "INDIVIDUAL"];
  if (search.segment) filter.segments = [search.segment as "ENTERPRISE" | "SMB" | "STARTUP"];
  if (search.status) filter.statuses = [search.status as "ACTIVE" | "INACTIVE"];
  if (search.tags?.length) filter.tags = search.tags;
  if (search.owner) filter.ownerIds = [search.owner];
  if (search.manager) filter.managerIds = [search.manager];
  if (search.archived) filter.archived = search.archived;
  return filter;
}

export function listOrder(search: ListSearch) {
  return { field: search.sort ?? "NAME", direction: search.dir ?? "ASC" } as const;
}

export function toFilter(search: ListSearch): CustomersListQueryVariables {
  const size = search.size ?? 25;
  const page = search.end
    ? { last: size }
    : search.before
      ? { last: size, before: search.before }
      : { first: size, after: search.after ?? null };
  return { ...page, filter: listFilter(search), orderBy: listOrder(search) };
}

/**
 * The list's filter and order as the server export's parameters: the names of
 * `CustomerFilter`'s fields, a list's values repeated, then `orderBy` and `direction`.
 * `archived` is always said: an export holds archived customers unless told otherwise,
 * while the list hides them unless searching.
 */
export function exportParameters(search: ListSearch): URLSearchParams {
  const parameters = filterParameters(search);
  if (!search.archived) parameters.set("archived", search.q ? "INCLUDE" : "EXCLUDE");
  const order = listOrder(search);
  parameters.set("orderBy", order.field);
  parameters.set("direction", order.direction);
  return parameters;
}

function filterParameters(search: ListSearch): URLSearchParams {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(listFilter(search))) {
    for (const item of Array.isArray(value) ? value : [value]) {
      parameters.append(name, String(item));
    }
  }
  return parameters;
}

/** The filter's identity: a selection of "all matching" holds only while it is the same. */
export function filterKey(search: ListSearch): string {
  return filterParameters(search).toString();
}

/** How many filters (beyond the search) narrow the list: the phone's "Filters (2)". */
export function activeFilterCount(search: ListSearch): number {
  return [
    search.kind,
    search.segment,
    search.status,
    search.tags?.length ? search.tags : undefined,
    search.owner,
    search.manager,
    search.archived,
  ].filter((value) => value !== undefined).length;
}
