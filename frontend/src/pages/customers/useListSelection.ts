import { useEffect, useState } from "react";

export interface ListSelection {
  /** Customers ticked one by one or a page at a time, across pages and searches. */
  ids: ReadonlySet<string>;
  /** Every customer the current filter matches, on every page ("Select all 9,500"). */
  allMatching: boolean;
  /** How many are selected: the ticked ones, or all that match. */
  count: number;
  page: "all" | "some" | "none";
  isSelected: (id: string) => boolean;
  toggle: (id: string) => void;
  togglePage: () => void;
  selectAllMatching: () => void;
  clear: () => void;
}

/**
 * The list's selection: ids kept while the viewer pages and searches, or "all matching" the
 * filter it was chosen for (which ends when the filter changes).
 */
export function useListSelection(
  filterKey: string,
  pageIds: readonly string[],
  total: number,
): ListSelection {
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const [matchingFilter, setMatchingFilter] = useState<string | null>(null);
  const allMatching = matchingFilter !== null && matchingFilter === filterKey;

  useEffect(() => {
    setMatchingFilter((chosenFor) => (chosenFor === filterKey ? chosenFor : null));
  }, [filterKey]);

  const isSelected = (id: string) => allMatching || ids.has(id);
  const onPage = pageIds.filter(isSelected).length;
  const page = pageIds.length > 0 && onPage === pageIds.length ? "all" : onPage ? "some" : "none";

  return {
    ids,
    allMatching,
    count: allMatching ? total : ids.size,
    page,
    isSelected,
    toggle: (id) => {
      const next = new Set(allMatching ? pageIds : ids);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      setMatchingFilter(null);
      setIds(next);
    },
    togglePage: () => {
      const next = new Set(ids);
      for (const id of pageIds) {
        if (page === "all") next.delete(id);
        else next.add(id);
      }
      setMatchingFilter(null);
      setIds(next);
    },
    selectAllMatching: () => setMatchingFilter(filterKey),
    clear: () => {
      setMatchingFilter(null);
      setIds(new Set());
    },
  };
}
