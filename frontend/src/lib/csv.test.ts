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

  it("writes texts a spreadsheet would run as formulas with one more quote in front", () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""x"")"',
    );
    expect(csvField("+33 1 23 45 67")).toBe("'+33 1 23 45 67");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe('"\'\r=1"');
    expect(csvField("'=1")).toBe("''=1");
    expect(csvField("'plain")).toBe("'plain");
    expect(csvField("a = b")).toBe("a = b");
    expect(csvField(-42)).toBe("-42");
  });
});
