import { loadVectors } from "@herald/test-support";
import { CloudEvent, HTTP } from "cloudevents";
import { describe, expect, it } from "vitest";
import { createAdmission } from "./admission.js";
import { nonCanonicalAttributes } from "./canonical-form.js";
import { createEnvelope, type Envelope } from "./envelope.js";
import { envelopeFromFedmsg } from "./foreign/fedmsg.js";
import { envelopeFromFedoraMessaging } from "./foreign/fedora-messaging.js";
import { createPolicy } from "./policy.js";
import { signEnvelope } from "./signing.js";
import { makeSigner } from "./test-fixtures.js";
import { parseTrustFile } from "./trust.js";
import { verifyEnvelope } from "./verify.js";

const { key, trust } = makeSigner("app.host01", ["org.example.#", "org.fedoraproject.#"]);

/**
 * The official `cloudevents` SDK's structured-mode round trip: the event an SDK builds from the
 * JSON, written as the HTTP body it sends, read back by the receiving SDK, as JSON again.
 */
function throughCloudEventsSdk(envelope: Envelope): Envelope {
  const sent = HTTP.structured(new CloudEvent(envelope as never));
  const received = HTTP.toEvent(sent) as CloudEvent<unknown>;
  return JSON.parse(JSON.stringify(received)) as Envelope;
}

const survives = (signed: Envelope) => verifyEnvelope(throughCloudEventsSdk(signed), trust).outcome === "valid";

/** Data of many shapes: attributes decide the canonical form, but data crosses the SDK too. */
const dataShapes = [
  { commit: { repo: "herald", rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", username: "alice" } },
  { text: 'Zürich ✓ 日本語 \u2028 "quoted" \\ back', emoji: "🚀" },
  { n: 0, neg: -1, float: 1.5, tiny: 1e-7, large: 2 ** 53 - 1, big: "9223372036854775809" },
  { nested: { list: [1, "two", { three: [null, true, false] }], empty: {}, none: [] } },
];

describe("the canonical form (PROTOCOL.md §2) and the cloudevents SDK", () => {
  it("every envelope createEnvelope writes is canonical and keeps its signature through the SDK", () => {
    for (const data of dataShapes)
      for (const dataschema of [undefined, "herald:git.receive/1.0", "https://schemas.example.org/git/1.json"]) {
        const envelope = createEnvelope({
          topic: "org.example.prod.git.receive",
          app: "git",
          data,
          ...(dataschema === undefined ? {} : { dataschema }),
        });
        expect(nonCanonicalAttributes(envelope)).toEqual([]);
        expect(survives(signEnvelope(envelope, key))).toBe(true);
      }
  });

  it("refuses to create an envelope that would not be canonical, naming the attribute", () => {
    const base = { topic: "org.example.prod.git.receive", data: {} };
    expect(() => createEnvelope({ ...base, source: "/my app/host" })).toThrow(
      /source "\/my app\/host" is not a URI reference/,
    );
    expect(() => createEnvelope({ ...base, dataschema: "git receive 1.0" })).toThrow(
      /dataschema .* is not an absolute URI/,
    );
    expect(() => createEnvelope({ ...base, time: new Date(Number.NaN) })).toThrow("time is not a valid date");
  });

  it("the envelopes of the fedmsg and fedora-messaging bridges keep their signatures through the SDK", () => {
    const fromFedmsg = envelopeFromFedmsg(
      {
        topic: "org.fedoraproject.prod.fas.user.update",
        msg: { user: { username: "carol" } },
        timestamp: 1795797484.5,
        msg_id: "2026-3c1e8a52-7d6b-4f0e-9a41-0b2d5f6c7e81",
        i: 4,
        username: "fas",
        agent: "carol",
      },
      "/fedmsg-bridge.legacy/bridge01",
    );
    const fromFedoraMessaging = envelopeFromFedoraMessaging(
      {
        routingKey: "org.fedoraproject.prod.koji.build.fail",
        body: { task_id: "9223372036854775809" },
        messageId: "koji-task-1",
        priority: 5,
        headers: {
          fedora_messaging_schema: "koji.build.fail",
          "sent-at": "2026-11-27T16:38:04.123456",
          fedora_messaging_severity: 40,
          fedora_messaging_user_dave: true,
          "x-received-from": [{ uri: "amqps://rabbitmq.example.org", exchange: "amq.topic", redelivered: false }],
          custom: { nested: [1, 2] },
        },
      },
      "/fedora-messaging-bridge.fm/bridge01",
    );
    for (const envelope of [fromFedmsg, fromFedoraMessaging]) {
      expect(nonCanonicalAttributes(envelope)).toEqual([]);
      expect(survives(signEnvelope(envelope, key))).toBe(true);
    }
  });

  it("the strict policy admits only envelopes whose signature survives the SDK, and says why it refuses the rest", async () => {
    const canonical = createEnvelope({ topic: "org.example.prod.git.receive", app: "git", data: dataShapes[0]! });
    const variants: Record<string, unknown>[] = [
      { time: "2026-11-27T16:38:04Z" },
      { time: "2026-11-27T16:38:04.1Z" },
      { time: "2026-11-27T16:38:04.123456Z" },
      { time: "2026-11-27T17:38:04.123+01:00" },
      { time: "2026-11-27t16:38:04.123z" },
      { time: "2026-11-27T16:38:04.123Z" },
      { dataschema: "git.receive/1.0" },
      { dataschema: "herald:git.receive/1.0" },
      { dataschema: "urn:herald:git receive" },
      { source: "/git/pkgs01.example.org" },
      { source: "/git/pkgs 01" },
      { source: "/git/pkgs01/é" },
      { ext: { a: 1 } },
      { ext: [1, 2] },
      { ext: null },
      { ext: 5.5 },
      { ext: 2 ** 40 },
      { ext: 42 },
      { ext: -7 },
      { ext: true },
      { ext: "" },
      { ext: "text ✓" },
      { time: "2026-11-27T16:38:04Z", ext: { a: 1 } },
    ];
    const admission = createAdmission({ trust, policy: createPolicy({ canonicalOnly: ["org.example.#"] }) });
    let admitted = 0;
    let refused = 0;
    for (const [index, variant] of variants.entries()) {
      const envelope = signEnvelope(
        { ...canonical, id: `${canonical.id.slice(0, -2)}${String(index).padStart(2, "0")}`, ...variant } as Envelope,
        key,
      );
      // Verification itself is not changed: every variant is a valid signed message.
      expect(verifyEnvelope(envelope, trust).outcome).toBe("valid");
      const result = await admission.admit({ topic: envelope.type, body: Buffer.from(JSON.stringify(envelope)) });
      if (result.status === "accepted") {
        admitted++;
        expect(nonCanonicalAttributes(envelope)).toEqual([]);
        expect(survives(envelope), JSON.stringify(variant)).toBe(true);
      } else {
        refused++;
        expect(result).toMatchObject({ status: "rejected", rejection: { reason: "not-canonical" } });
        const detail = (result as { rejection: { detail: string } }).rejection.detail;
        expect(detail).toMatch(new RegExp(Object.keys(variant).join("|")));
      }
    }
    expect([admitted, refused]).toEqual([8, 15]);
    // Outside the listed topics, and without the policy, verification alone decides.
    const lax = createAdmission({ trust, policy: createPolicy({ canonicalOnly: ["org.example.dev.#"] }) });
    const offset = signEnvelope({ ...canonical, time: "2026-11-27T17:38:04.123+01:00" }, key);
    expect((await lax.admit({ topic: offset.type, body: Buffer.from(JSON.stringify(offset)) })).status).toBe(
      "accepted",
    );
  });

  it("leaves verification of the shared vectors as it was: the vector dated without milliseconds is valid and not canonical", () => {
    const vectors = loadVectors();
    const vectorTrust = parseTrustFile(vectors.trust, "vectors.json trust");
    const dated = (vectors.verification as { name: string; envelope: Envelope; expect: string }[]).find(
      (vector) => vector.envelope.time === "2025-06-01T00:00:00Z",
    )!;
    expect(verifyEnvelope(dated.envelope, vectorTrust).outcome).toBe(dated.expect);
    expect(dated.expect).toBe("valid");
    expect(nonCanonicalAttributes(dated.envelope)).toEqual([
      'time "2025-06-01T00:00:00Z" is not RFC 3339 UTC with milliseconds (2025-06-01T00:00:00.000Z)',
    ]);
    // …which is exactly why the SDK's round trip breaks it.
    expect(verifyEnvelope(throughCloudEventsSdk(dated.envelope), vectorTrust).outcome).toBe("bad-signature");
  });
});
