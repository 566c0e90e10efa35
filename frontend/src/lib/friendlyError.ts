import type { CombinedError } from "urql";
import { networkFailure } from "../graphql/resilience";

/**
 * What a person reads when a request fails outright: never the raw GraphQL or network text,
 * which the console still has.
 */
export function friendlyError(
  error: CombinedError,
  doing = "The change could not be saved",
): string {
  console.warn(error);
  if (error.networkError) return `${doing}. ${networkFailure(error)}`;
  const status = (error.response as { status?: number } | undefined)?.status;
  if (status === 401 || status === 403) {
    return `${doing}: your session has ended or does not allow it. Sign in again.`;
  }
  return `${doing}. Check the fields and try again; if it happens again, reload the page.`;
}
