import { Badge, type BadgeProps } from "@mantine/core";
import { labelOf, STATUS_OPTIONS } from "./options";

/** Badges keep their whole word: never cut to "A…" however narrow the column. */
const WHOLE: BadgeProps["styles"] = {
  root: { minWidth: "max-content", flexShrink: 0, overflow: "visible" },
  label: { overflow: "visible" },
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={status === "ACTIVE" ? "green" : "red"} variant="light" styles={WHOLE}>
      {labelOf(STATUS_OPTIONS, status)}
    </Badge>
  );
}

export function ArchivedBadge() {
  return (
    <Badge color="gray" variant="light" styles={WHOLE}>
      Archived
    </Badge>
  );
}
