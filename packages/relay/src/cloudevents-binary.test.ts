import { describe, expect, it } from "vitest";
import { envelopeFromBinary } from "./cloudevents-binary.js";

describe("CloudEvents binary mode", () => {
  it("takes an attribute named like an Object.prototype member as an attribute, once", () => {
    const headers = ["ce-specversion", "1.0", "ce-constructor", "x", "ce-tostring", "y"];
    expect(envelopeFromBinary(headers, {}, "application/json")).toMatchObject({ constructor: "x", tostring: "y" });
    expect(envelopeFromBinary([...headers, "ce-constructor", "z"], {}, "application/json")).toBe(
      "header ce-constructor: given more than once",
    );
  });
});
