import { toCsv } from "./csv";

/** One refused row as the server reports it, with the row's cells as they were in the file. */
export interface RejectedRow {
  line: number;
  customerNumber: string | null;
  errors: { column: string; message: string }[];
  values: Record<string, string>;
}

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  applied: boolean;
  dryRun: boolean;
  partial: boolean;
  columns: string[];
  rejectedRows: RejectedRow[];
}

export type ImportEvent =
  | { total: number }
  | { progress: { rows: number } }
  | { report: ImportReport }
  | { error: string };

export interface ImportProgress {
  phase: "uploading" | "checking";
  /** 0 to 1. */
  fraction: number;
  rows: number;
  total: number | null;
}

/**
 * Splits a growing JSON Lines text into the events complete so far.
 * Returns them and how many characters they used; the rest is an unfinished line.
 */
export function readEvents(text: string, from: number): { events: ImportEvent[]; next: number } {
  const events: ImportEvent[] = [];
  let start = from;
  for (let end = text.indexOf("\n", start); end !== -1; end = text.indexOf("\n", start)) {
    const line = text.slice(start, end).trim();
    if (line) {
      events.push(JSON.parse(line) as ImportEvent);
    }
    start = end + 1;
  }
  return { events, next: start };
}

/** The refused rows as a CSV file to correct and import again: their cells, then the errors. */
export function rejectedRowsCsv(report: ImportReport): string {
  const rows = report.rejectedRows.map((row) => [
    ...report.columns.map((column) => row.values[column] ?? ""),
    row.errors
      .map((error) => (error.column ? `${error.column}: ${error.message}` : error.message))
      .join("; "),
  ]);
  return toCsv([...report.columns, "errors"], rows);
}

export class ImportError extends Error {}

/**
 * Uploads the file to POST /import/customers.csv and follows the server's progress lines.
 * XMLHttpRequest, not fetch: only it reports upload progress.
 */
export function importCustomers(
  file: Blob,
  options: { dryRun: boolean; partial: boolean; csrfToken: string | null },
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const query = new URLSearchParams({
    dry_run: String(options.dryRun),
    partial: String(options.partial),
  });
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    let read = 0;
    let total: number | null = null;
    let report: ImportReport | null = null;
    let failure: string | null = null;

    const consume = () => {
      const { events, next } = readEvents(request.responseText, read);
      read = next;
      for (const event of events) {
        if ("total" in event) {
          total = event.total;
          onProgress({ phase: "checking", fraction: 0, rows: 0, total });
        } else if ("progress" in event) {
          const rows = event.progress.rows;
          onProgress({ phase: "checking", fraction: total ? rows / total : 0, rows, total });
        } else if ("report" in event) {
          report = event.report;
        } else {
          failure = event.error;
        }
      }
    };

    request.open("POST", `/import/customers.csv?${query}`);
    request.withCredentials = true;
    request.setRequestHeader("Content-Type", "text/csv");
    if (options.csrfToken) {
      request.setRequestHeader("X-CSRF-Token", options.csrfToken);
    }
    request.upload.onprogress = (event) => {
      onProgress({
        phase: "uploading",
        fraction: event.lengthComputable ? event.loaded / event.total : 0,
        rows: 0,
        total: null,
      });
    };
    request.onprogress = () => {
      if (request.status === 200) {
        consume();
      }
    };
    request.onerror = () => reject(new ImportError("The upload failed: check your connection."));
    request.onload = () => {
      if (request.status !== 200) {
        let message = `The import was refused (${request.status}).`;
        try {
          const body = JSON.parse(request.responseText) as { error?: string };
          message = body.error ?? message;
        } catch {
          // not JSON: keep the status
        }
        reject(new ImportError(message));
        return;
      }
      consume();
      if (report) {
        resolve(report);
      } else {
        reject(new ImportError(failure ?? "The import stopped before it finished."));
      }
    };
    request.send(file);
  });
}
