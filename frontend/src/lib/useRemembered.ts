import { useRef } from "react";

/**
 * The value, or while it is undefined (a request failed, or is loading again) the last one
 * it had: what a person may do does not vanish from the screen with the network.
 */
export function useRemembered<T>(value: T | undefined): T | undefined {
  const last = useRef(value);
  if (value !== undefined) last.current = value;
  return last.current;
}
