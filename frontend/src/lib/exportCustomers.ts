import { downloadBlob } from "./csv";

/**
 * The server's CSV export: the columns of the import and its template, so a file exported
 * here imports back unchanged. It takes the list's filter and order (`exportParameters`).
 */
export const EXPORT_CSV = "/export/customers.csv";

export class ExportError extends Error {}

/** The most ids one export takes (the server's list limit, `CUSTOMER_GRAPH_MAX_LIST_LENGTH`). */
export const MAX_SELECTED = 1000;

/** A link the browser downloads with the session's cookie, streamed however long the list. */
export function exportLink(parameters: URLSearchParams): string {
  return `${EXPORT_CSV}?${parameters}`;
}

/**
 * Exports the customers with these ids, in the list's order. The ids go in a POST form:
 * a selection can be longer than a URL may be.
 */
export async function downloadSelected(
  ids: readonly string[],
  order: { field: string; direction: string },
): Promise<void> {
  const form = new URLSearchParams(ids.map((id) => ["ids", id]));
  form.set("orderBy", order.field);
  form.set("direction", order.direction);
  let response: Response;
  try {
    response = await fetch(EXPORT_CSV, { method: "POST", credentials: "include", body: form });
  } catch {
    throw new ExportError("The export failed: check your connection.");
  }
  if (response.status === 401) {
    throw new ExportError("Your session has ended: sign in again to export.");
  }
  if (!response.ok) {
    throw new ExportError("The server could not export these customers. Try again in a moment.");
  }
  downloadBlob("customers.csv", await response.blob());
}
