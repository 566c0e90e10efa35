import { describe, expect, it } from "vitest";
import { parseListSearch, toFilter } from "./listSearch";

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
      }),
    ).toEqual({
      q: "acme",
      kind: undefined,
      segment: undefined,
      status: undefined,
      tags: ["VIP"],
      owner: undefined,
      archived: "ONLY",
      sort: "TOTAL_REVENUE",
      dir: undefined,
      size: undefined,
      after: undefined,
      before: undefined,
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
});
