import { Group, Loader, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import type { TypedDocumentNode } from "@urql/core";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { useQuery } from "urql";
import { PageButtons } from "../../components/PageButtons";

/** Rows a tab shows at a time. */
export const TAB_PAGE_SIZE = 10;

export interface TabVariables {
  id: string;
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  search?: string | null;
}

export interface TabConnectionValue<T> {
  totalCount: number;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor?: string | null;
    endCursor?: string | null;
  };
  edges: readonly { node: T }[];
}

/** Which page a tab shows: cursors for the API, and where the page starts, for people. */
interface PageAt {
  first?: number;
  last?: number;
  after?: string;
  before?: string;
  start: number;
}

const FIRST_PAGE: PageAt = { first: TAB_PAGE_SIZE, start: 1 };
const NUMBER = new Intl.NumberFormat("en-US");

/** Where the page starts: keyset pages do not know their offset, the first and last do. */
export function pageStart(at: { start: number }, page: TabConnectionValue<unknown>): number {
  const rows = page.edges.length;
  const lastStart = Math.max(1, page.totalCount - rows + 1);
  if (!page.pageInfo.hasPreviousPage) return 1;
  if (!page.pageInfo.hasNextPage) return lastStart;
  return Math.min(Math.max(1, at.start), lastStart);
}

/** "1–10 of 300". */
export function rangeText(start: number, rows: number, total: number): string {
  if (rows === 0) return `0 of ${NUMBER.format(total)}`;
  return `${NUMBER.format(start)}–${NUMBER.format(start + rows - 1)} of ${NUMBER.format(total)}`;
}

export interface TabPage<T> {
  page: TabConnectionValue<T> | undefined;
  fetching: boolean;
  error: string | undefined;
  typed: string;
  search: string;
  setTyped: (text: string) => void;
  start: number;
  first: () => void;
  previous: () => void;
  next: () => void;
  last: () => void;
}

/**
 * One of the customer's lists, a page at a time: first, previous, next and last by cursors,
 * and a search (as the user types, after a pause) that starts again from the first page.
 * `refreshKey` changing reloads the page shown (after an edit, a live change).
 */
export function useTabPage<Q, T>(
  document: TypedDocumentNode<Q, TabVariables>,
  customerId: string,
  pick: (data: Q) => TabConnectionValue<T> | undefined,
  refreshKey: number,
): TabPage<T> {
  const [at, setAt] = useState<PageAt>(FIRST_PAGE);
  const [typed, setTyped] = useState("");
  const [search] = useDebouncedValue(typed.trim(), 300);
  const searched = useRef(search);
  useEffect(() => {
    if (searched.current !== search) {
      searched.current = search;
      setAt(FIRST_PAGE);
    }
  }, [search]);
  const [result, reexecute] = useQuery({
    query: document,
    variables: {
      id: customerId,
      first: at.first ?? null,
      last: at.last ?? null,
      after: at.after ?? null,
      before: at.before ?? null,
      search: search || null,
    },
  });
  const seen = useRef(refreshKey);
  useEffect(() => {
    if (seen.current !== refreshKey) {
      seen.current = refreshKey;
      reexecute({ requestPolicy: "network-only" });
    }
  }, [refreshKey, reexecute]);

  // While the next page loads, the one shown stays.
  const loaded = result.data ? pick(result.data) : undefined;
  const shown = useRef<TabConnectionValue<T> | undefined>(undefined);
  if (loaded) shown.current = loaded;
  const page = shown.current;
  const start = page ? pageStart(at, page) : 1;
  const rows = page?.edges.length ?? 0;
  return {
    page,
    fetching: result.fetching,
    error: result.error ? "This list could not be loaded. Try again in a moment." : undefined,
    typed,
    search,
    setTyped,
    start,
    first: () => setAt(FIRST_PAGE),
    previous: () =>
      setAt({
        last: TAB_PAGE_SIZE,
        before: page?.pageInfo.startCursor ?? undefined,
        start: Math.max(1, start - TAB_PAGE_SIZE),
      }),
    next: () =>
      setAt({
        first: TAB_PAGE_SIZE,
        after: page?.pageInfo.endCursor ?? undefined,
        start: start + rows,
      }),
    last: () => setAt({ last: TAB_PAGE_SIZE, start: Number.MAX_SAFE_INTEGER }),
  };
}

/** The search of a tab, its range ("1–10 of 300") and the first, previous, next, last pages. */
export function TabToolbar<T>({
  tab,
  noun,
  action,
}: {
  tab: TabPage<T>;
  noun: string;
  action?: ReactNode;
}) {
  const { page } = tab;
  const info = page?.pageInfo;
  return (
    <Group justify="space-between" gap="xs" mb="sm" wrap="wrap">
      <Group gap="xs" wrap="nowrap" style={{ flex: "1 1 16rem", minWidth: 0 }}>
        {action}
        <TextInput
          aria-label={`Search ${noun}`}
          placeholder={`Search ${noun}`}
          value={tab.typed}
          onChange={(event) => tab.setTyped(event.currentTarget.value)}
          size="xs"
          style={{ flex: 1, minWidth: 0, maxWidth: "20rem" }}
          rightSection={tab.fetching ? <Loader size={12} aria-label="Loading" /> : null}
        />
      </Group>
      {page && (
        <Group gap={6} wrap="nowrap">
          <Text
            size="sm"
            aria-live="polite"
            data-testid="tab-range"
            style={{ whiteSpace: "nowrap" }}
          >
            {rangeText(tab.start, page.edges.length, page.totalCount)}
          </Text>
          <PageButtons
            pageInfo={info}
            first={tab.first}
            previous={tab.previous}
            next={tab.next}
            last={tab.last}
          />
        </Group>
      )}
    </Group>
  );
}

/** What an empty page says: nothing yet, or nothing matching the search. */
export function emptyText(tab: TabPage<unknown>, noun: string): string {
  return tab.search ? `No ${noun} match “${tab.search}”.` : `No ${noun} yet.`;
}
