import { describe, expect, it } from "vitest";
import { pageStart, rangeText } from "./Pager";

function page(rows: number, total: number, hasPreviousPage: boolean, hasNextPage: boolean) {
  return {
    totalCount: total,
    edges: Array.from({ length: rows }, () => ({})),
    pageInfo: { hasPreviousPage, hasNextPage },
  };
}

describe("where a page is in the list", () => {
  it("reads with thousands separators and an en dash", () => {
    expect(rangeText(1, 25, 9500)).toBe("1–25 of 9,500");
    expect(rangeText(9476, 25, 9500)).toBe("9,476–9,500 of 9,500");
    expect(rangeText(1, 0, 0)).toBe("No customers");
  });

  it("knows the first and last pages, and carries the others in the URL", () => {
    expect(pageStart({ start: 51 }, page(25, 9500, false, true))).toBe(1);
    expect(pageStart({ end: true }, page(25, 9500, true, false))).toBe(9476);
    expect(pageStart({ start: 26 }, page(25, 9500, true, true))).toBe(26);
    expect(pageStart({ start: 9999 }, page(25, 9500, true, true))).toBe(9476);
  });
});
