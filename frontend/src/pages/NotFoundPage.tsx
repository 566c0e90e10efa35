import { Button, Stack, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";

/** Said when an address leads nowhere, with the way back to the customers. */
export function NotFoundPage({
  title = "Page not found",
  message = "There is no page at this address. It may have moved, or the link may be wrong.",
}: {
  title?: string;
  message?: string;
}) {
  return (
    <Stack align="center" gap="md" py="xl" ta="center">
      <Title order={1} size="h2">
        {title}
      </Title>
      <Text c="dimmed" maw={480}>
        {message}
      </Text>
      <Button renderRoot={(props) => <Link {...props} to="/customers" search={{}} />}>
        Back to customers
      </Button>
    </Stack>
  );
}

export const CustomerNotFound = () => (
  <NotFoundPage
    title="Customer not found"
    message="No customer has this address: it may have been deleted, or the link may be wrong."
  />
);
