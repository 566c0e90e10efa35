import { describe, expect, it } from "vitest";
import {
  activeFilterCount,
  exportParameters,
  filterKey,
  parseListSearch,
  toFilter,
} from "./listSearch";

describe("list state in the URL", () => {
  it("keeps only values it understands", () => {
    expect(
      parseListSearch({
        q: "acme",
        archived: "ONLY",
        sort: "TOTAL_REVENUE",
        dir: "sideways",
        size: "1000",
        tags: ["VIP", 3],
        end: "yes",
        start: "0",
      }),
    ).toEqual({
      q: "acme",
      tags: ["VIP"],
      archived: "ONLY",
      sort: "TOTAL_REVENUE",
    });
    expect(parseListSearch({ end: true, start: 26, manager: "VXNlcjox" })).toEqual({
      end: true,
      start: 26,
      manager: "VXNlcjox",
    });
  });

  it("becomes the query's filter, order and page", () => {
    expect(
      toFilter({ q: "acme", status: "ACTIVE", tags: ["VIP"], size: 50, before: "c1" }),
    ).toEqual({
      last: 50,
      before: "c1",
      filter: { search: "acme", statuses: ["ACTIVE"], tags: ["VIP"] },
      orderBy: { field: "NAME", direction: "ASC" },
    });
    expect(toFilter({})).toEqual({
      first: 25,
      after: null,
      filter: {},
      orderBy: { field: "NAME", direction: "ASC" },
    });
  });

  it("asks for the last page without a cursor", () => {
    expect(toFilter({ end: true, after: "c9", size: 10 })).toMatchObject({ last: 10 });
    expect(toFilter({ end: true })).not.toHaveProperty("before");
  });

  it("becomes the export's parameters, with the names of the API's filter", () => {
    const search = {
      q: "blue",
      tags: ["Churn risk", "VIP"],
      owner: "VXNlcjox",
      manager: "VXNlcjoy",
      archived: "INCLUDE" as const,
      sort: "TOTAL_REVENUE" as const,
      dir: "DESC" as const,
      after: "cursor",
    };
    expect(exportParameters(search).toString()).toBe(
      "search=blue&tags=Churn+risk&tags=VIP&ownerIds=VXNlcjox&managerIds=VXNlcjoy" +
        "&archived=INCLUDE&orderBy=TOTAL_REVENUE&direction=DESC",
    );
    expect(filterKey(search)).toBe(filterKey({ ...search, sort: "NAME", after: undefined }));
    expect(filterKey(search)).not.toBe(filterKey({ ...search, tags: ["VIP"] }));
  });

  it("tells the export whether archived customers count, as the list does", () => {
    expect(exportParameters({}).get("archived")).toBe("EXCLUDE");
    expect(exportParameters({ q: "blue" }).get("archived")).toBe("INCLUDE");
    expect(exportParameters({ archived: "ONLY" }).get("archived")).toBe("ONLY");
  });

  it("counts the filters that narrow the list", () => {
    expect(activeFilterCount({ q: "x", sort: "NAME" })).toBe(0);
    expect(
      activeFilterCount({ status: "ACTIVE", tags: ["VIP", "Partner"], archived: "ONLY" }),
    ).toBe(3);
  });
});
