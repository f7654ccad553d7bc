import { describe, expect, it } from "vitest";
import { isIrcTarget } from "./irc-target.js";

describe("isIrcTarget", () => {
  it("takes nicks and channels, and nothing that could carry another command", () => {
    for (const target of ["alice", "bob_", "[away]", "x".repeat(30), "#herald", "&local", "#dev-team"])
      expect([target, isIrcTarget(target)]).toEqual([target, true]);
    for (const target of [
      "victim\r\nPRIVMSG #secret :hi",
      "alice bob",
      "a,b",
      "9lives",
      "x".repeat(31),
      "#a b",
      "#a\u0007",
      "",
      "#",
    ])
      expect([target, isIrcTarget(target)]).toEqual([target, false]);
  });
});
