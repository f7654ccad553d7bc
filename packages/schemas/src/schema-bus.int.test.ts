import { createBus, createEnvelope, createPolicy, type Rejection } from "@herald/sdk";
import { createMemoryNetwork, createMemoryTransport } from "@herald/sdk/testing";
import { describe, expect, it } from "vitest";
import type { TopicMap } from "./index.js";
import { createSchemaRegistry } from "./schema-registry.js";

describe("the SDK with the schema registry", () => {
  it("checks data before publishing and sets dataschema", async () => {
    const transport = createMemoryTransport();
    const bus = createBus<TopicMap>({
      transport,
      prefix: "org.example",
      environment: "test",
      schemas: createSchemaRegistry(),
    });
    await bus.publish("logger.log", { text: "hello" });
    expect(transport.sent[0]?.envelope.dataschema).toBe("herald:logger.log/1.0");
    await expect(bus.publish("logger.log", { text: "" })).rejects.toThrow(
      "invalid data for herald:logger.log/1.0: $.text must NOT have fewer than 1 characters (minLength)",
    );
    await expect(
      (bus as never as { publish: (e: string, d: object) => Promise<void> }).publish("nope.thing", {}),
    ).rejects.toThrow("no schema for nope.thing: unknown topic");
  });

  it("publishes a named major with that major's newest minor, on the plain topic", async () => {
    const transport = createMemoryTransport();
    const bus = createBus<TopicMap>({
      transport,
      prefix: "org.example",
      environment: "test",
      schemas: createSchemaRegistry(),
    });
    const edit = { title: "Main Page", user: "bob", revision: 42, minor: false, url: "https://wiki.example.org/x" };
    await bus.publish("wiki.article.edit@1", edit);
    expect(transport.sent[0]?.envelope).toMatchObject({
      type: "org.example.test.wiki.article.edit",
      dataschema: "herald:wiki.article.edit/1.1",
    });
    const untyped = bus as never as { publish: (e: string, d: object) => Promise<void> };
    await expect(untyped.publish("wiki.article.edit@7", edit)).rejects.toThrow(
      "no schema for wiki.article.edit major 7",
    );
    await expect(untyped.publish("wiki.article.edit@x", edit)).rejects.toThrow(
      "what follows @ must be a major version",
    );
  });

  it("delivers events by name, typed, only once their data was checked against that major", async () => {
    const network = createMemoryNetwork();
    const bus = createBus<TopicMap>({
      transport: createMemoryTransport({ network }),
      prefix: "org.example",
      environment: "test",
      schemas: createSchemaRegistry(),
      policy: createPolicy({ allowUnsigned: ["#"] }),
    });
    const subscription = await bus.subscribe({ events: ["logger.log"] });
    const sender = createBus({ transport: createMemoryTransport({ network }), schemas: "none" });
    const send = (data: object, dataschema?: string) =>
      sender.publishEnvelope(
        createEnvelope({
          topic: "org.example.test.logger.log",
          data: data as never,
          ...(dataschema === undefined ? {} : { dataschema }),
        }),
      );
    await send({ text: "no schema named" });
    await send({ text: "a major this subscriber does not know" }, "herald:logger.log/7.0");
    await send({ text: "" }, "herald:logger.log/1.0");
    await send({ text: "typed" }, "herald:logger.log/1.0");
    for await (const message of subscription) {
      expect([message.event, message.data.text]).toEqual(["logger.log", "typed"]);
      break;
    }
    await bus.close();
    await sender.close();
    const untyped = createBus({
      transport: createMemoryTransport({ network }),
      schemas: "none",
      prefix: "o",
      environment: "t",
    });
    await expect(untyped.subscribe({ events: ["logger.log"] })).rejects.toThrow(
      "receiving by event name needs a schema registry",
    );
    await untyped.close();
  });

  it("refuses received data that breaks its schema and flags unknown schemas without dropping them", async () => {
    const network = createMemoryNetwork();
    const transport = createMemoryTransport({ network });
    const rejections: Rejection[] = [];
    const bus = createBus({
      transport,
      schemas: createSchemaRegistry(),
      policy: createPolicy({ allowUnsigned: ["#"] }),
    });
    const subscription = await bus.subscribe(["#"], { onReject: (rejection) => rejections.push(rejection) });
    const send = (data: object, dataschema?: string) => {
      const envelope = createEnvelope({
        topic: "org.example.test.logger.log",
        data: data as never,
        ...(dataschema ? { dataschema } : {}),
      });
      return transport.inject(envelope.type, JSON.stringify(envelope));
    };
    await send({ text: 5 }, "herald:logger.log/1.0");
    await send({ text: "fine" }, "herald:logger.log/1.0");
    await send({ anything: true }, "herald:logger.log/3.0");
    await send({ anything: true });
    // Another schema's dataschema cannot vouch for a logger.log's data, nor present it as its own.
    await send(
      { title: "Main Page", user: "mallory", revision: 1, minor: false, url: "https://x" },
      "herald:wiki.article.edit/1.0",
    );
    await send({ text: "x" }, "herald:audit.log/1.0");
    const received = [];
    for await (const message of subscription) {
      received.push(message.schema);
      if (received.length === 5) break;
    }
    expect(received).toEqual(["valid", "unknown-version", "none", "none", "none"]);
    expect(rejections).toEqual([
      {
        reason: "invalid-data",
        detail: "herald:logger.log/1.0: $.text must be string",
        topic: "org.example.test.logger.log",
      },
    ]);
  });
});
