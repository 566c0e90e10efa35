import { describe, expect, it } from "vitest";
import { formatAmountInput, parseAmount } from "./amounts";

describe("parseAmount", () => {
  it("reads amounts as English speakers type them", () => {
    expect(parseAmount("12,500", "en-US")).toBe("12500");
    expect(parseAmount("12,500.50", "en-US")).toBe("12500.50");
    expect(parseAmount("1,234,567.8", "en-US")).toBe("1234567.8");
    expect(parseAmount("1234.50", "en-US")).toBe("1234.50");
    expect(parseAmount(" 12 500 ", "en-US")).toBe("12500");
    expect(parseAmount("-5", "en-US")).toBe("-5");
    expect(parseAmount("0.5", "en-US")).toBe("0.5");
  });

  it("reads amounts as German speakers type them", () => {
    expect(parseAmount("12.500,50", "de-DE")).toBe("12500.50");
    expect(parseAmount("12.500", "de-DE")).toBe("12500");
    expect(parseAmount("12,5", "de-DE")).toBe("12.5");
    expect(parseAmount("1.234.567", "de-DE")).toBe("1234567");
  });

  it("takes the last mark for the decimal whatever the locale", () => {
    expect(parseAmount("12.500,50", "en-US")).toBe("12500.50");
    expect(parseAmount("12,500.50", "de-DE")).toBe("12500.50");
    expect(parseAmount("1 234,56", "fr-FR")).toBe("1234.56");
  });

  it("refuses what is not an amount", () => {
    for (const text of ["", "abc", "12,50,0", "1,2345.6", "12.5.5,1", "1.2.3", "--1", "12a"]) {
      expect(parseAmount(text, "en-US"), text).toBeNull();
    }
  });
});

describe("formatAmountInput", () => {
  it("writes a stored amount in the locale, exactly", () => {
    expect(formatAmountInput("12500.50", "en-US")).toBe("12,500.50");
    expect(formatAmountInput("12500.50", "de-DE")).toBe("12.500,50");
    expect(formatAmountInput("-1234567890123456789.01", "en-US")).toBe(
      "-1,234,567,890,123,456,789.01",
    );
    expect(parseAmount(formatAmountInput("98765.43", "de-DE"), "de-DE")).toBe("98765.43");
  });
});
