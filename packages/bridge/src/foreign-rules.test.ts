import { describe, expect, it } from "vitest";
import type { BridgeConfig } from "./bridge-config.js";
import { addressKey, foreignEndpoint } from "./foreign-connection.js";
import { compileForeignRules, foreignEnvelope } from "./foreign-rules.js";

const bridge = (rules: { match: string; topic: string; schema?: string }[], extra: Partial<BridgeConfig> = {}) =>
  ({ name: "bz", kind: "stomp", rules, ...extra }) as BridgeConfig;

describe("foreign bridge rules", () => {
  const rules = compileForeignRules(
    bridge([
      {
        match: "VirtualTopic.eng.bugzilla.bug.create",
        topic: "org.example.prod.bugzilla.bug.create",
        schema: "bugzilla.bug.create/1.0",
      },
      { match: "VirtualTopic.*.bugzilla.#", topic: "org.example.prod.bugzilla.{2}.from.{1}" },
      { match: "Alerts.#", topic: "org.example.prod.alert.{key}" },
    ]),
  );

  it("takes the first rule that matches, with its schema", () => {
    expect(rules("VirtualTopic.eng.bugzilla.bug.create")).toEqual({
      topic: "org.example.prod.bugzilla.bug.create",
      dataschema: "herald:bugzilla.bug.create/1.0",
    });
  });

  it("puts what each wildcard matched where the topic says, lower-cased", () => {
    expect(rules("VirtualTopic.ENG.bugzilla.comment.create")).toEqual({
      topic: "org.example.prod.bugzilla.comment.create.from.eng",
    });
    expect(rules("Alerts.Disk.Full")).toEqual({ topic: "org.example.prod.alert.alerts.disk.full" });
  });

  it("matches words, not characters: * is one word, # any number", () => {
    expect(rules("VirtualTopic.eng.bugzilla")).toEqual({ topic: "org.example.prod.bugzilla..from.eng" });
    expect(rules("VirtualTopic.a.b.bugzilla.x")).toBeUndefined();
    expect(rules("VirtualTopicX.eng.bugzilla.x")).toBeUndefined();
    expect(rules("Alerts")).toEqual({ topic: "org.example.prod.alert.alerts" });
  });

  it("refuses a message no rule turns into a valid topic, naming why", () => {
    const data = { bug: 1 };
    expect(() => foreignEnvelope({ key: "Other.thing", data }, rules, "/stomp-bridge.bz/h")).toThrow(
      'no rule matches its key "Other.thing"',
    );
    // `#` matched nothing: the topic would have an empty word.
    expect(() => foreignEnvelope({ key: "VirtualTopic.eng.bugzilla", data }, rules, "/stomp-bridge.bz/h")).toThrow(
      'its rule gives "org.example.prod.bugzilla..from.eng", not a valid topic',
    );
  });

  it("gives the same foreign id the same Herald id, and dates by the sender's time", () => {
    const time = new Date("2026-12-01T10:00:00Z");
    const one = foreignEnvelope(
      { key: "VirtualTopic.eng.bugzilla.bug.create", data: { bug: 1 }, messageId: "ID:broker-1:1", time },
      rules,
      "/stomp-bridge.bz/h",
    );
    const again = foreignEnvelope(
      { key: "VirtualTopic.eng.bugzilla.bug.create", data: { bug: 1 }, messageId: "ID:broker-1:1" },
      rules,
      "/stomp-bridge.bz/h",
    );
    expect(one.id).toBe(again.id);
    expect(one).toMatchObject({ time: "2026-12-01T10:00:00.000Z", dataschema: "herald:bugzilla.bug.create/1.0" });
  });

  it("refuses at start a topic that names a wildcard its pattern lacks", () => {
    expect(() => compileForeignRules(bridge([{ match: "a.*", topic: "org.example.{2}" }]))).toThrow(
      'rules[0]: topic "org.example.{2}" uses {2} but "a.*" has 1 wildcard(s)',
    );
    expect(() => compileForeignRules(bridge([]))).toThrow("stomp needs at least one [[bridges.rules]]");
  });
});

describe("foreign broker endpoints", () => {
  it("strips the brokers' address prefixes, so one rule serves them all", () => {
    for (const address of [
      "topic://VirtualTopic.eng.x",
      "/topic/VirtualTopic.eng.x",
      "queue://VirtualTopic.eng.x",
      "/queue/VirtualTopic.eng.x",
      "/amq/queue/VirtualTopic.eng.x",
      "/exchange/amq.topic/VirtualTopic.eng.x",
      "VirtualTopic.eng.x",
    ])
      expect(addressKey(address)).toBe("VirtualTopic.eng.x");
  });

  it("chooses SASL by what is given, and says what is missing", () => {
    expect(foreignEndpoint(bridge([], { url: "amqp://bob:s%40cret@mq.example:5672" }), "amqp10")).toMatchObject({
      sasl: "PLAIN",
      username: "bob",
      password: "s@cret",
      display: "bob@mq.example:5672",
    });
    expect(foreignEndpoint(bridge([], { url: "amqp://mq.example" }), "amqp10")).toMatchObject({
      sasl: "ANONYMOUS",
      port: 5672,
    });
    expect(foreignEndpoint(bridge([], { url: "stomp+ssl://mq.example" }), "stomp")).toMatchObject({
      port: 61614,
      tls: { servername: "mq.example" },
    });
    const problems: [Partial<BridgeConfig>, "amqp10" | "stomp", string][] = [
      [{}, "amqp10", "bridge bz: amqp10 needs url"],
      [{ url: "http://mq.example" }, "amqp10", "url must start with amqp:// or amqps://"],
      [{ url: "amqp://mq.example", sasl: "EXTERNAL" }, "amqp10", "needs a client certificate (tls_cert, tls_key)"],
      [{ url: "amqps://mq.example", tls_cert: "/c.pem" }, "amqp10", "tls_cert and tls_key go together"],
      [{ url: "amqp://mq.example", tls_ca: "/ca.pem" }, "amqp10", "need a TLS url (amqps://)"],
      [{ url: "amqps://mq.example", tls_ca: "/no/such/ca.pem" }, "amqp10", "cannot read tls_ca /no/such/ca.pem"],
      [{ url: "amqp://mq.example", sasl: "PLAIN" }, "amqp10", 'sasl = "PLAIN" needs a user in the url'],
      [{ url: "amqp://mq.example" }, "stomp", "url must start with stomp:// or tcp://"],
    ];
    for (const [extra, kind, message] of problems)
      expect(() => foreignEndpoint(bridge([], extra), kind)).toThrow(message);
  });
});
