import { describe, expect, it } from "vitest";
import { formatMoney, humanize } from "./money";

describe("money", () => {
  it("shows the amount in its own currency", () => {
    expect(formatMoney({ amount: "1234.50", currency: "USD" })).toBe("$1,234.50");
    expect(formatMoney({ amount: "0.00", currency: "EUR" })).toBe("€0.00");
    expect(formatMoney({ amount: "99.90", currency: "GBP" })).toBe("£99.90");
  });

  it("turns enum values into words", () => {
    expect(humanize("SALES_REP")).toBe("Sales rep");
    expect(humanize("ACTIVE")).toBe("Active");
  });
});
