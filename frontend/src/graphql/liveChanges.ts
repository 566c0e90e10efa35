import { useEffect, useRef } from "react";
import { type AnyVariables, type CombinedError, type DocumentInput, useSubscription } from "urql";

/** The code of a subscription the server ended because some changes were not sent. */
export const CHANGES_MISSED = "CHANGES_MISSED";

/** How long to wait before subscribing again after changes were missed: the server is
 * reconnecting to the database meanwhile. */
export const RESUBSCRIBE_AFTER_MS = 2000;

export function changesMissed(error: CombinedError | undefined): boolean {
  return error?.graphQLErrors.some((e) => e.extensions?.code === CHANGES_MISSED) ?? false;
}

/**
 * Calls `onChange` for every live change the subscription hears. When the server ends the
 * subscription because some changes may not have been sent, `onChange` is called as well
 * (the page reads afresh) and the subscription starts again shortly after.
 */
export function useLiveChanges<Data, Variables extends AnyVariables>(
  query: DocumentInput<Data, Variables>,
  variables: Variables,
  onChange: () => void,
): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  const [result, resubscribe] = useSubscription<Data, null, Variables>(
    { query, variables } as Parameters<typeof useSubscription<Data, null, Variables>>[0],
    () => {
      latest.current();
      return null;
    },
  );
  const error = result.error;
  useEffect(() => {
    if (!changesMissed(error)) return undefined;
    latest.current();
    const timer = setTimeout(
      () => resubscribe({ requestPolicy: "network-only" }),
      RESUBSCRIBE_AFTER_MS,
    );
    return () => clearTimeout(timer);
  }, [error, resubscribe]);
}
