import { describe, expect, it } from "vitest";
import { buildbotMessage } from "./buildbot.js";

// The shape of the reports a Buildbot 3.7 master's HttpStatusPush posted in this project's tests.
const report = (changes: Record<string, unknown>) => ({
  buildid: 1,
  number: 7,
  builderid: 1,
  started_at: 1795805959,
  complete_at: null,
  complete: false,
  state_string: "starting",
  results: null,
  properties: { workername: ["w1", "Worker"], owners: [["alice"], "Build"] },
  builder: { builderid: 1, name: "herald", tags: [] },
  url: "http://buildbot.example.org/#builders/1/builds/7",
  ...changes,
});

describe("buildbotMessage", () => {
  it("maps a started build", () => {
    expect(buildbotMessage(report({}))).toEqual({
      event: "buildsys.build.start",
      data: {
        build_id: "herald-7",
        name: "herald",
        host: "w1",
        started_at: "2026-11-27T18:59:19.000Z",
        owner: "alice",
      },
    });
  });

  it.each([
    [0, "succeeded"],
    [1, "succeeded"],
    [2, "failed"],
    [4, "failed"],
    [6, "cancelled"],
  ])("maps result %i to %s", (results, status) => {
    const message = buildbotMessage(
      report({ complete: true, complete_at: 1795805961, results, state_string: "build done" }),
    );
    expect(message).toMatchObject({
      event: "buildsys.build.complete",
      data: { status, duration_ms: 2000, exit_code: null, log_tail: "build done" },
    });
  });

  it("refuses a body that is not a build, naming the field", () => {
    expect(() => buildbotMessage({ hello: "world" })).toThrow("not a Buildbot build: buildid is not a number");
  });
});
