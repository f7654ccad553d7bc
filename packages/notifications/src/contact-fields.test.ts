import { describe, expect, it } from "vitest";
import { checkContact, isEmailAddress } from "./contact-fields.js";

describe("contact fields", () => {
  it("take one plain e-mail address and nothing that adds a header or a recipient", () => {
    for (const address of ["alice@example.org", "a.b+tag@mail.example.co.uk", "x_y@sub-domain.example"])
      expect([address, isEmailAddress(address)]).toEqual([address, true]);
    for (const address of [
      "alice@example.org\r\nBcc: victim@example.org",
      "alice@example.org, bob@example.org",
      "Alice <alice@example.org>",
      "not-an-email",
      "alice@localhost",
      `${"a".repeat(65)}@example.org`,
      "alice@-example.org",
    ])
      expect([address, isEmailAddress(address)]).toEqual([address, false]);
  });

  it("name the field that is wrong", () => {
    expect(() => checkContact({ ircNick: "a\r\nJOIN #x" })).toThrow(/^irc_nick: /);
    expect(() => checkContact({ email: "x" })).toThrow(/^email: /);
    expect(() => checkContact({ email: null, ircNick: null })).not.toThrow();
  });
});
