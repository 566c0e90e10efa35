import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv";

describe("CSV export", () => {
  it("quotes fields with commas, quotes and line breaks", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("Smith, Jones & Co")).toBe('"Smith, Jones & Co"');
    expect(csvField('The "Best" Ltd')).toBe('"The ""Best"" Ltd"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(42)).toBe("42");
  });

  it("writes a header and one line per row, CRLF-terminated", () => {
    expect(
      toCsv(
        ["Name", "City"],
        [
          ["Acme, Inc", "Lyon"],
          ["Beta", null],
        ],
      ),
    ).toBe('Name,City\r\n"Acme, Inc",Lyon\r\nBeta,\r\n');
  });
});
