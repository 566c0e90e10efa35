import { act, render } from "@testing-library/react";
import type { DocumentNode } from "graphql";
import { parse } from "graphql";
import { Client, CombinedError, type OperationResult, Provider } from "urql";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fromValue, never } from "wonka";
import { CHANGES_MISSED, RESUBSCRIBE_AFTER_MS, useLiveChanges } from "./liveChanges";

const FEED: DocumentNode = parse("subscription { customerEvents { action } }");

function Feed({ onChange }: { onChange: () => void }) {
  useLiveChanges(FEED, {}, onChange);
  return null;
}

function missed(operation: OperationResult["operation"]): OperationResult {
  return {
    operation,
    data: undefined,
    error: new CombinedError({
      graphQLErrors: [{ message: "interrupted", extensions: { code: CHANGES_MISSED } }],
    }),
    stale: false,
    hasNext: false,
  };
}

describe("live changes", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("reads afresh and subscribes again when the server says changes were missed", async () => {
    const subscriptions: number[] = [];
    const client = {
      executeSubscription: vi.fn((operation) => {
        subscriptions.push(subscriptions.length);
        return subscriptions.length === 1 ? fromValue(missed(operation)) : never;
      }),
    } as unknown as Client;
    const onChange = vi.fn();
    render(
      <Provider value={client}>
        <Feed onChange={onChange} />
      </Provider>,
    );
    await act(async () => {});
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(subscriptions).toHaveLength(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(RESUBSCRIBE_AFTER_MS + 10);
    });
    expect(subscriptions).toHaveLength(2);
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});
