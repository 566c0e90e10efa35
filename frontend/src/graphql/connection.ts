import { useSyncExternalStore } from "react";

/**
 * Whether the server answers, as the app last saw it.
 * - online: requests and live updates go through;
 * - offline: a request failed or the live connection dropped; the app asks the server
 *   again and again (backing off to every 10 s) until it answers;
 * - reconnected: it answered again, and what is on screen is being refreshed (a few
 *   seconds, then online).
 */
export type ConnectionState = "online" | "offline" | "reconnected";

type Listener = () => void;

/** The waits between attempts to reach the server: 1, 2, 4, 8, then 10 s, each ±20 %. */
export function backoff(attempt: number): number {
  const base = Math.min(1000 * 2 ** attempt, 10_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

const SHOW_RECONNECTED_MS = 4000;

export class Connection {
  state: ConnectionState = "online";
  /** When the next attempt to reach the server is made, while offline. */
  nextAttemptAt: number | null = null;
  private listeners = new Set<Listener>();
  private reconnectListeners = new Set<Listener>();
  private attempt = 0;
  private probing: ReturnType<typeof setTimeout> | null = null;
  private settling: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly probe: () => Promise<boolean>) {}

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called once each time the server answers again after being unreachable. */
  onReconnect(listener: Listener): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** A request or the live connection could not reach the server. */
  lost(): void {
    if (this.state === "offline") return;
    this.set("offline");
    this.attempt = 0;
    this.schedule();
  }

  /** The server answered. */
  reached(): void {
    if (this.state !== "offline") return;
    if (this.probing !== null) clearTimeout(this.probing);
    this.probing = null;
    this.nextAttemptAt = null;
    this.set("reconnected");
    for (const listener of this.reconnectListeners) listener();
    if (this.settling !== null) clearTimeout(this.settling);
    this.settling = setTimeout(() => {
      this.settling = null;
      if (this.state === "reconnected") this.set("online");
    }, SHOW_RECONNECTED_MS);
  }

  /** The live connection came back after a drop: refresh what is on screen again, since
   * changes made while it was down were not announced. */
  resubscribed(): void {
    if (this.state === "offline") {
      this.reached();
      return;
    }
    for (const listener of this.reconnectListeners) listener();
  }

  /** Try now rather than at the next scheduled attempt. */
  retryNow(): void {
    if (this.state !== "offline") return;
    if (this.probing !== null) clearTimeout(this.probing);
    void this.tryOnce();
  }

  private schedule(): void {
    const wait = backoff(this.attempt);
    this.attempt += 1;
    this.nextAttemptAt = Date.now() + wait;
    this.emit();
    this.probing = setTimeout(() => void this.tryOnce(), wait);
  }

  private async tryOnce(): Promise<void> {
    this.probing = null;
    const answered = await this.probe().catch(() => false);
    if (this.state !== "offline") return;
    if (answered) this.reached();
    else this.schedule();
  }

  private set(state: ConnectionState): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

async function serverAnswers(): Promise<boolean> {
  const response = await fetch("/healthz", { cache: "no-store", credentials: "omit" });
  return response.ok;
}

export const connection = new Connection(serverAnswers);

if (typeof window !== "undefined") {
  window.addEventListener("offline", () => connection.lost());
  window.addEventListener("online", () => connection.retryNow());
}

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(connection.subscribe, () => connection.state);
}

/** The words for a request that could not reach the server: never the library's own. */
export const UNREACHABLE =
  "The server could not be reached. Check your connection: the app keeps trying and " +
  "refreshes this page when the server answers.";
