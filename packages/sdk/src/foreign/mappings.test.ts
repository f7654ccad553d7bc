import { describe, expect, it } from "vitest";
import { envelopeFromFedmsg, fedmsgFromEnvelope } from "./fedmsg.js";
import { envelopeFromFedoraMessaging, fedoraMessagingFromEnvelope } from "./fedora-messaging.js";
import { heraldIdFor } from "./foreign-id.js";

const uuid = "6b0a7c1e-5f3d-4c2b-9a8e-1d2c3b4a5f60";
const fedmsg = {
  topic: "org.fedoraproject.prod.git.receive",
  msg: { commit: { repo: "herald", username: "alice" } },
  timestamp: 1795797484,
  msg_id: `2026-${uuid}`,
  i: 3,
  username: "apache",
};

describe("fedmsg mapping (PROTOCOL.md §6)", () => {
  it("reads fedmsg's fields into an envelope and writes them back unchanged", () => {
    const envelope = envelopeFromFedmsg(fedmsg, "/fedmsg-bridge.legacy/bridge01");
    expect(envelope).toMatchObject({
      type: fedmsg.topic,
      id: uuid,
      time: "2026-11-27T16:38:04.000Z",
      data: fedmsg.msg,
      source: "/fedmsg-bridge.legacy/bridge01",
      fedmsgid: fedmsg.msg_id,
      fedmsguser: "apache",
    });
    expect(fedmsgFromEnvelope(envelope, 3)).toEqual(fedmsg);
  });

  it("carries the agent across a hop and back", () => {
    const withAgent = { ...fedmsg, agent: "alice" };
    const envelope = envelopeFromFedmsg(withAgent, "/fedmsg-bridge.legacy/bridge01");
    expect(envelope.fedmsgagent).toBe("alice");
    expect(fedmsgFromEnvelope(envelope, 3)).toEqual(withAgent);
  });

  it("says which field is wrong", () => {
    expect(() => envelopeFromFedmsg([], "/x/y")).toThrow("fedmsg message is not a JSON object");
    expect(() => envelopeFromFedmsg({ ...fedmsg, msg: "text" }, "/x/y")).toThrow("msg is not a JSON object");
    expect(() => envelopeFromFedmsg({ ...fedmsg, timestamp: "now" }, "/x/y")).toThrow("timestamp is not a number");
    expect(() => envelopeFromFedmsg({ ...fedmsg, topic: "Not.A.Topic" }, "/x/y")).toThrow(/invalid topic/);
  });
});

describe("fedora-messaging mapping (PROTOCOL.md §6)", () => {
  const message = {
    routingKey: "org.fedoraproject.prod.bodhi.update.comment",
    body: { comment: { text: "works" } },
    messageId: uuid,
    headers: {
      fedora_messaging_schema: "bodhi.update.comment.v1",
      "sent-at": "2026-11-27T16:38:04.123456+00:00",
      fedora_messaging_severity: 20,
      fedora_messaging_user_alice: true,
      fedora_messaging_rpm_herald: true,
    },
  };

  it("reads the body, id, time and schema, and writes headers per user and package", () => {
    const envelope = envelopeFromFedoraMessaging(message, "/fedora-messaging-bridge.fm/bridge01");
    expect(envelope).toMatchObject({
      type: message.routingKey,
      id: uuid,
      time: "2026-11-27T16:38:04.123Z",
      data: message.body,
      fmschema: "bodhi.update.comment.v1",
    });
    const back = fedoraMessagingFromEnvelope(envelope, {
      usernames: ["alice"],
      packages: ["herald"],
      severity: "info",
    });
    // sent-at comes back as it was written, microseconds and all.
    expect(back).toEqual(message);
  });

  it("carries severity, priority, every object header, x-received-from, a foreign id and other headers across, as string attributes", () => {
    const foreign = {
      routingKey: "org.fedoraproject.prod.koji.build.fail",
      body: { build_id: 7 },
      messageId: "koji-build-7",
      priority: 5,
      headers: {
        fedora_messaging_schema: "koji.build.fail",
        "sent-at": "2026-11-27T16:38:04",
        fedora_messaging_severity: 40,
        fedora_messaging_user_bob: true,
        fedora_messaging_rpm_kernel: true,
        fedora_messaging_container_fedora: true,
        priority: 5,
        "x-received-from": [{ uri: "amqps://rabbitmq.fedoraproject.org", exchange: "amq.topic", redelivered: false }],
        "x-custom": "kept",
      },
    };
    const envelope = envelopeFromFedoraMessaging(foreign, "/fedora-messaging-bridge.fm/bridge01");
    // Offset-less, as fedora-messaging's utcnow() writes it: UTC, not the bridge's local time.
    expect(envelope.time).toBe("2026-11-27T16:38:04.000Z");
    for (const [name, value] of Object.entries(envelope))
      if (name.startsWith("fm")) expect(typeof value, name).toBe("string");
    expect(envelope).toMatchObject({ fmseverity: "40", fmpriority: "5", fmid: "koji-build-7" });
    const back = fedoraMessagingFromEnvelope(
      envelope,
      { usernames: [], packages: [], severity: "info" },
      { uri: "herald://fedora-messaging-bridge.fm/bridge01", exchange: "amq.topic" },
    );
    expect(back.messageId).toBe("koji-build-7");
    expect(back.headers).toEqual({
      ...foreign.headers,
      "x-received-from": [
        ...foreign.headers["x-received-from"],
        {
          uri: "herald://fedora-messaging-bridge.fm/bridge01",
          exchange: "amq.topic",
          redelivered: false,
          "cluster-name": "herald",
        },
      ],
    });
  });

  it("keeps a Herald dataschema as dataschema", () => {
    const envelope = envelopeFromFedoraMessaging(
      { ...message, headers: { ...message.headers, fedora_messaging_schema: "herald:git.receive/1.0" } },
      "/x/y",
    );
    expect(envelope.dataschema).toBe("herald:git.receive/1.0");
    expect(envelope.fmschema).toBeUndefined();
  });

  it("refuses a body that is not a JSON object", () => {
    expect(() => envelopeFromFedoraMessaging({ ...message, body: [1, 2] }, "/x/y")).toThrow(
      "the body is not a JSON object",
    );
  });
});

describe("heraldIdFor", () => {
  it("keeps a UUID, takes fedmsg's year-prefixed one, and derives the same UUID from anything else", () => {
    expect(heraldIdFor(uuid.toUpperCase())).toBe(uuid);
    expect(heraldIdFor(`2013-${uuid}`)).toBe(uuid);
    expect(heraldIdFor("push-1")).toBe(heraldIdFor("push-1"));
    expect(heraldIdFor("push-1")).not.toBe(heraldIdFor("push-2"));
    expect(heraldIdFor("push-1")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
