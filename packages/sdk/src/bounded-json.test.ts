import { describe, expect, it } from "vitest";
import { readBoundedJson } from "./bounded-json.js";

describe("readBoundedJson", () => {
  it("reads what JSON.parse reads", () => {
    const text = '{"a":[1,2,{"b":"c\\"}"}],"d":-1.5e3,"e":null,"f":"\\u00e9"}';
    expect(readBoundedJson(text)).toEqual({ ok: true, value: JSON.parse(text), unsafeIntegers: [] });
    expect(readBoundedJson(Buffer.from(text))).toMatchObject({ ok: true, value: JSON.parse(text) });
  });

  it.each([
    ["x".repeat(2000), { maxBytes: 1000 }, "too-large"],
    [`${"[".repeat(20_000)}${"]".repeat(20_000)}`, {}, "too-deep"],
    ['{"data":{"a":1,"a":2}}', {}, "duplicate-key"],
    ['{"type":"a","ty\\u0070e":"b"}', {}, "duplicate-key"],
    ['{"n":9007199254740993}', {}, "unsafe-integer"],
    ['{"n":-9007199254740993}', {}, "unsafe-integer"],
    ["null", {}, undefined],
    ['{"a":', {}, "not-json"],
    ["\u0000garbage", {}, "not-json"],
  ] as const)("refuses %s with the reason %s, never throwing", (text, limits, reason) => {
    const reading = readBoundedJson(text, limits);
    if (reason === undefined) expect(reading.ok).toBe(true);
    else expect(reading).toMatchObject({ ok: false, reason });
  });

  it("names where a duplicate key or an unsafe integer is", () => {
    expect(readBoundedJson('{"data":{"list":[{"k":1,"k":2}]}}')).toMatchObject({
      detail: '"k" twice at /data/list/0',
    });
    expect(readBoundedJson('{"data":{"ids":[1,12345678901234567890]}}')).toMatchObject({
      detail: "12345678901234567890 at /data/ids/1 would be rounded",
    });
  });

  it("allows unsafe integers when told, reporting where they were rounded", () => {
    const reading = readBoundedJson('{"a":{"b":12345678901234567890},"c":9007199254740991}', {
      unsafeIntegers: "allow",
    });
    expect(reading).toMatchObject({ ok: true, unsafeIntegers: ["/a/b"] });
  });

  it("carries unsafe integers as strings of their exact digits when told, and leaves the rest as it was", () => {
    const reading = readBoundedJson(
      '{"id":9223372036854775809,"low":-9223372036854775809,"ok":9007199254740991,"f":1.5e300,"s":"12345678901234567890","l":[1, 18446744073709551616 ]}',
      { unsafeIntegers: "string" },
    );
    expect(reading).toEqual({
      ok: true,
      value: {
        id: "9223372036854775809",
        low: "-9223372036854775809",
        ok: 9007199254740991,
        f: 1.5e300,
        s: "12345678901234567890",
        l: [1, "18446744073709551616"],
      },
      unsafeIntegers: ["/id", "/low", "/l/1"],
    });
  });

  it("does not take keys inside strings or values for keys", () => {
    expect(readBoundedJson('{"a":"{\\"a\\":1}","b":{"a":1}}').ok).toBe(true);
    expect(readBoundedJson('["a","a",{"a":"a"}]').ok).toBe(true);
  });

  it("refuses invalid UTF-8", () => {
    expect(readBoundedJson(Buffer.from([0x22, 0xff, 0x22]))).toMatchObject({ ok: false, reason: "not-json" });
  });
});
