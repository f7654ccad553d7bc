import type { AsyncMessage } from "rabbitmq-client";
import { describe, expect, it } from "vitest";
import { jsonBodyOf } from "./amqp-body.js";

/** A message as rabbitmq-client hands it over; only the fields the reader looks at. */
function message(body: unknown, contentEncoding?: string): AsyncMessage {
  return { body, contentEncoding } as AsyncMessage;
}

describe("jsonBodyOf", () => {
  it("reads UTF-8 bytes when no encoding is declared", () => {
    expect(jsonBodyOf(message(Buffer.from('{"city":"Zürich"}')))).toEqual({ city: "Zürich" });
  });

  it.each(["latin-1", "latin_1", "LATIN1", "iso-8859-1", "ISO8859-1"])("reads latin-1 declared as %s", (label) => {
    // 0x80 is a C1 control in ISO-8859-1 but "€" in windows-1252: Python's latin-1 means the former.
    const bytes = Buffer.concat([Buffer.from('{"city":"Z'), Buffer.from([0xfc, 0x80]), Buffer.from('rich"}')]);
    expect(jsonBodyOf(message(bytes, label))).toEqual({ city: "Zü\u0080rich" });
  });

  it("reads utf-16 under Python's codec name", () => {
    expect(jsonBodyOf(message(Buffer.from('{"a":"é"}', "utf16le"), "utf_16_le"))).toEqual({ a: "é" });
  });

  it("refuses an encoding it does not know, naming it", () => {
    expect(() => jsonBodyOf(message(Buffer.from("{}"), "rot13"))).toThrow(/content_encoding "rot13"/);
  });

  it("refuses bytes that are not valid in the declared encoding", () => {
    expect(() => jsonBodyOf(message(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), "utf-8"))).toThrow(/not JSON|refused/);
  });

  it("keeps a big integer's exact digits as a string", () => {
    expect(jsonBodyOf(message(Buffer.from('{"id":9223372036854775809,"n":7}')))).toEqual({
      id: "9223372036854775809",
      n: 7,
    });
  });

  it("refuses a body the AMQP client already parsed when it holds a rounded integer", () => {
    expect(() => jsonBodyOf(message({ a: { b: 2 ** 63 } }))).toThrow(/integer at \/a\/b/);
    expect(jsonBodyOf(message({ a: 1 }))).toEqual({ a: 1 });
  });

  it("refuses a body that is not a JSON object", () => {
    expect(() => jsonBodyOf(message(Buffer.from("[1,2]")))).toThrow(/not a JSON object/);
  });
});
