/** The list's words for the customer's enumerations: its filters and its cells say the same. */
export const KIND_OPTIONS = [
  { value: "COMPANY", label: "Company" },
  { value: "INDIVIDUAL", label: "Individual" },
] as const;

export const SEGMENT_OPTIONS = [
  { value: "ENTERPRISE", label: "Enterprise" },
  { value: "SMB", label: "SMB" },
  { value: "STARTUP", label: "Startup" },
] as const;

export const STATUS_OPTIONS = [
  { value: "ACTIVE", label: "Active" },
  { value: "INACTIVE", label: "Inactive" },
] as const;

export function labelOf(
  options: readonly { value: string; label: string }[],
  value: string,
): string {
  return options.find((option) => option.value === value)?.label ?? value;
}
