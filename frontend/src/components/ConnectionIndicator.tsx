import { Badge, Button, Group } from "@mantine/core";
import { useEffect, useState } from "react";
import { connection, useConnectionState } from "../graphql/connection";

function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The connection to the server, in the header: nothing while it works; "Offline" with the
 * next attempt and a way to try now while the server cannot be reached; "Back online" for
 * a moment once it answers again and the page is refreshed.
 */
export function ConnectionIndicator() {
  const state = useConnectionState();
  const seconds = useSecondsUntil(state === "offline" ? connection.nextAttemptAt : null);
  return (
    <Group gap={6} wrap="nowrap" role="status" aria-live="polite" data-testid="connection">
      {state === "offline" && (
        <>
          <Badge color="red.9" variant="filled" tt="none" title="The server cannot be reached">
            {seconds ? `Offline · retrying in ${seconds} s` : "Offline · retrying…"}
          </Badge>
          <Button variant="subtle" size="compact-xs" onClick={() => connection.retryNow()}>
            Retry now
          </Button>
        </>
      )}
      {state === "reconnected" && (
        <Badge color="green.9" variant="filled" tt="none">
          Back online
        </Badge>
      )}
    </Group>
  );
}
