import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "./search-query.js";

describe("parseSearchQuery", () => {
  it("reads datagrepper's parameters", () => {
    const query = parseSearchQuery(
      new URLSearchParams("delta=3600&topic=a&topic=b&not_user=bob&rows_per_page=100&order=asc"),
      10_000_000,
    );
    expect(query).toMatchObject({
      start: 10_000_000 - 3_600_000,
      end: 10_000_000,
      topic: ["a", "b"],
      notUser: ["bob"],
      rowsPerPage: 100,
      order: "asc",
      page: 1,
    });
  });

  it.each([
    ["rows_per_page=101", "rows_per_page: at most 100"],
    ["rows_per_page=0", 'rows_per_page: "0" is not a whole number of at least 1'],
    ["page=two", 'page: "two" is not a whole number of at least 1'],
    ["start=yesterday", 'start: "yesterday" is neither seconds since the epoch nor a date'],
    ["delta=-5", 'delta: "-5" is not a positive number of seconds'],
    ["start=200&end=100", "start: must be before end"],
    ["order=random", 'order: must be "asc" or "desc"'],
    ["colour=red", "colour: unknown parameter"],
    ["page=1&page=2", "page: given more than once"],
  ])("refuses %j naming the parameter", (query, message) => {
    expect(() => parseSearchQuery(new URLSearchParams(query))).toThrow(message);
  });
});
