import { Anchor, Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { downloadSelected, ExportError, exportLink, MAX_SELECTED } from "../../lib/exportCustomers";
import { exportParameters, type ListSearch, listOrder } from "../listSearch";
import type { ListSelection } from "./useListSelection";

const number = new Intl.NumberFormat("en-US");

/**
 * What is selected ("3 selected · Clear"), the offer to select every customer that matches,
 * and the export of the selection: ticked rows by their ids, all matching by the list's
 * filter, both through the server's export (the import's columns).
 */
export function SelectionBar({
  selection,
  search,
  total,
}: {
  selection: ListSelection;
  search: ListSearch;
  total: number;
}) {
  const [exporting, setExporting] = useState(false);
  const offerAll = !selection.allMatching && selection.page === "all" && total > selection.count;

  async function exportTicked() {
    if (selection.count > MAX_SELECTED) {
      notifications.show({
        color: "yellow",
        title: "Too many to export one by one",
        message: `Select at most ${number.format(MAX_SELECTED)} customers, or select all that match the filters and export those.`,
      });
      return;
    }
    setExporting(true);
    try {
      await downloadSelected([...selection.ids], listOrder(search));
    } catch (error) {
      notifications.show({
        color: "red",
        title: "The export failed",
        message: error instanceof ExportError ? error.message : "Try again in a moment.",
      });
    } finally {
      setExporting(false);
    }
  }

  if (selection.count === 0) return null;
  return (
    <Group gap="xs" wrap="wrap" data-testid="selection-bar" align="center">
      <Text size="sm" fw={500}>
        {selection.allMatching
          ? `All ${number.format(total)} matching selected`
          : `${number.format(selection.count)} selected`}
      </Text>
      <Text size="sm" c="dimmed" aria-hidden>
        ·
      </Text>
      <Anchor component="button" type="button" size="sm" onClick={selection.clear}>
        Clear selection
      </Anchor>
      {offerAll && (
        <Anchor component="button" type="button" size="sm" onClick={selection.selectAllMatching}>
          Select all {number.format(total)} matching
        </Anchor>
      )}
      {selection.allMatching ? (
        <Button
          size="xs"
          variant="light"
          component="a"
          href={exportLink(exportParameters(search))}
          download="customers.csv"
        >
          Export all {number.format(total)} to CSV
        </Button>
      ) : (
        <Button size="xs" variant="light" loading={exporting} onClick={() => void exportTicked()}>
          Export selected ({number.format(selection.count)}) to CSV
        </Button>
      )}
    </Group>
  );
}
