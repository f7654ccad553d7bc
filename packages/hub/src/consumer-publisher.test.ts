import { describe, expect, it } from "vitest";
import { declaredPublisher } from "./consumer-publisher.js";
import { consumerShapeOf } from "./load-consumer.js";

describe("a consumer's publishes list", () => {
  it("lets it publish what it declared and refuses anything else", async () => {
    const sent: string[] = [];
    const publish = declaredPublisher({ name: "tagger", publishes: ["git.tag.create"] }, async (event) => {
      sent.push(event);
    });
    await publish("git.tag.create", {});
    await expect(publish("git.receive", {})).rejects.toThrow(
      "tagger publishes git.receive, which its publishes list does not declare",
    );
    expect(sent).toEqual(["git.tag.create"]);
  });

  it("leaves a consumer that declares nothing free to publish", async () => {
    const sent: string[] = [];
    await declaredPublisher({ name: "free" }, async (event) => {
      sent.push(event);
    })("git.receive", {});
    expect(sent).toEqual(["git.receive"]);
  });

  it("must name known events", () => {
    const shape = { name: "x", topics: ["git.receive"], publishes: ["git.nope"], handle() {} };
    expect(() => consumerShapeOf(shape, "./x.mjs")).toThrow('consumer ./x.mjs: publishes: unknown event(s) "git.nope"');
  });
});
