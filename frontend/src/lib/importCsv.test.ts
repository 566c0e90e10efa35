import { describe, expect, it } from "vitest";
import { type ImportReport, readEvents, rejectedRowsCsv } from "./importCsv";

describe("readEvents", () => {
  it("returns complete lines and leaves an unfinished one for later", () => {
    const text = '{"total": 3}\n{"progress": {"rows": 2}}\n{"repo';
    const first = readEvents(text, 0);
    expect(first.events).toEqual([{ total: 3 }, { progress: { rows: 2 } }]);
    expect(text.slice(first.next)).toBe('{"repo');
    const more = `${text}rt": {"rows": 3}}\n`;
    expect(readEvents(more, first.next).events).toEqual([{ report: { rows: 3 } }]);
  });
});

describe("rejectedRowsCsv", () => {
  it("writes the refused rows' cells in the file's columns, then their errors", () => {
    const report: ImportReport = {
      rows: 2,
      created: 1,
      updated: 0,
      unchanged: 0,
      rejected: 1,
      applied: false,
      dryRun: false,
      partial: false,
      columns: ["name", "email"],
      rejectedRows: [
        {
          line: 3,
          customerNumber: null,
          errors: [
            { column: "email", message: "'x' is not an email address." },
            { column: "", message: "The row has 3 cells; the header has 2." },
          ],
          values: { name: 'Acme, "the" best', email: "x" },
        },
        {
          line: 4,
          customerNumber: null,
          errors: [{ column: "email", message: "'=1' is not an email address." }],
          values: { name: "=cmd|' /C calc'!A0", email: "=1" },
        },
      ],
    };
    expect(rejectedRowsCsv(report)).toBe(
      'name,email,errors\r\n"Acme, ""the"" best",x,' +
        "email: 'x' is not an email address.; The row has 3 cells; the header has 2.\r\n" +
        "'=cmd|' /C calc'!A0,'=1,email: '=1' is not an email address.\r\n",
    );
  });
});
