import { ActionIcon, Tooltip } from "@mantine/core";

function PageButton({
  label,
  symbol,
  disabled,
  onClick,
  size,
}: {
  label: string;
  symbol: string;
  disabled: boolean;
  onClick: () => void;
  size?: string;
}) {
  return (
    <Tooltip label={label} openDelay={400}>
      <ActionIcon
        variant="default"
        size={size}
        aria-label={label}
        disabled={disabled}
        onClick={onClick}
      >
        <span aria-hidden>{symbol}</span>
      </ActionIcon>
    </Tooltip>
  );
}

/** The first, previous, next and last page buttons of a cursor-paged list. */
export function PageButtons({
  pageInfo,
  first,
  previous,
  next,
  last,
  size,
}: {
  pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean } | undefined;
  first: () => void;
  previous: () => void;
  next: () => void;
  last: () => void;
  size?: string;
}) {
  const atStart = !pageInfo?.hasPreviousPage;
  const atEnd = !pageInfo?.hasNextPage;
  return (
    <>
      <PageButton label="First page" symbol="«" disabled={atStart} onClick={first} size={size} />
      <PageButton
        label="Previous page"
        symbol="‹"
        disabled={atStart}
        onClick={previous}
        size={size}
      />
      <PageButton label="Next page" symbol="›" disabled={atEnd} onClick={next} size={size} />
      <PageButton label="Last page" symbol="»" disabled={atEnd} onClick={last} size={size} />
    </>
  );
}
