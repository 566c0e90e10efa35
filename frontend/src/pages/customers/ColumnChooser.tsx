import { Button, Checkbox, Popover, Stack } from "@mantine/core";
import { COLUMNS } from "./columns";

/** Which columns the table shows; the name is always there. */
export function ColumnChooser({
  chosen,
  onChange,
  onReset,
}: {
  chosen: readonly string[];
  onChange: (keys: string[]) => void;
  onReset: () => void;
}) {
  return (
    <Popover position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Button variant="default">Columns</Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group
          label="Columns shown"
          value={[...chosen]}
          onChange={(keys) => onChange(COLUMNS.map((c) => c.key).filter((k) => keys.includes(k)))}
        >
          <Stack gap={6} mt="xs">
            {COLUMNS.map((column) => (
              <Checkbox key={column.key} value={column.key} label={column.label} size="sm" />
            ))}
          </Stack>
        </Checkbox.Group>
        <Button variant="subtle" size="xs" mt="sm" onClick={onReset}>
          Back to the default columns
        </Button>
      </Popover.Dropdown>
    </Popover>
  );
}
