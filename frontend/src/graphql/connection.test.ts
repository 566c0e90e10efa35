import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoff, Connection } from "./connection";

describe("the connection state", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("backs off to every 10 s", () => {
    const waits = [0, 1, 2, 3, 4, 8].map((attempt) => backoff(attempt));
    expect(waits[0]).toBeGreaterThanOrEqual(800);
    expect(waits[0]).toBeLessThanOrEqual(1200);
    expect(waits[3]).toBeGreaterThanOrEqual(6400);
    for (const wait of waits.slice(4)) {
      expect(wait).toBeGreaterThanOrEqual(8000);
      expect(wait).toBeLessThanOrEqual(12_000);
    }
  });

  it("asks the server until it answers, then refreshes once and settles", async () => {
    const answers = [false, false, true];
    const probe = vi.fn(async () => answers.shift() ?? true);
    const connection = new Connection(probe);
    const refreshed = vi.fn();
    connection.onReconnect(refreshed);

    connection.lost();
    connection.lost();
    expect(connection.state).toBe("offline");
    expect(connection.nextAttemptAt).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1300);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(connection.state).toBe("offline");
    await vi.advanceTimersByTimeAsync(2500);
    expect(probe).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(connection.state).toBe("reconnected");
    expect(refreshed).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(connection.state).toBe("online");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe).toHaveBeenCalledTimes(3);
  });

  it("a request that gets through ends the outage at once", () => {
    const connection = new Connection(async () => false);
    const refreshed = vi.fn();
    connection.onReconnect(refreshed);
    connection.reached();
    expect(refreshed).not.toHaveBeenCalled();
    connection.lost();
    connection.reached();
    expect(connection.state).toBe("reconnected");
    expect(refreshed).toHaveBeenCalledTimes(1);
  });

  it("live updates back after a drop refresh the page again", () => {
    const connection = new Connection(async () => false);
    const refreshed = vi.fn();
    connection.onReconnect(refreshed);
    connection.resubscribed();
    expect(refreshed).toHaveBeenCalledTimes(1);
    expect(connection.state).toBe("online");
  });
});
