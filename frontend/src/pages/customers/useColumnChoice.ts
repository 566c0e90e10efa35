import { useLocalStorage } from "@mantine/hooks";
import { useMemo } from "react";
import { COLUMNS, DEFAULT_COLUMNS, type ListColumn } from "./columns";

function known(value: unknown): string[] | undefined {
  return Array.isArray(value)
    ? value.filter(
        (key): key is string =>
          typeof key === "string" && COLUMNS.some((column) => column.key === key),
      )
    : undefined;
}

/**
 * The columns a viewer chose, kept in this browser's local storage under their user id:
 * each person who signs in here has their own, and a new browser starts from the defaults.
 */
export function useColumnChoice(userId: string): {
  shown: readonly ListColumn[];
  chosen: readonly string[];
  choose: (keys: string[]) => void;
  reset: () => void;
} {
  const [chosen, setChosen, remove] = useLocalStorage<readonly string[]>({
    key: `customer-list-columns:${userId}`,
    defaultValue: DEFAULT_COLUMNS,
    getInitialValueInEffect: false,
    deserialize: (text) => {
      try {
        return (text && known(JSON.parse(text))) || DEFAULT_COLUMNS;
      } catch {
        return DEFAULT_COLUMNS;
      }
    },
  });
  const shown = useMemo(() => COLUMNS.filter((column) => chosen.includes(column.key)), [chosen]);
  return { shown, chosen, choose: setChosen, reset: remove };
}
