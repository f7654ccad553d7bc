import { describe, expect, it } from "vitest";
import { createAdmission, type Rejection } from "./admission.js";
import { createEnvelope } from "./envelope.js";
import { generateSigningKey } from "./keys.js";
import { createPolicy } from "./policy.js";
import type { SchemaRegistry } from "./schema-registry.js";
import type { Gap } from "./sequence.js";
import { signEnvelope } from "./signing.js";
import { parseTrustFile } from "./trust.js";

const topic = "org.example.prod.logger.log";
const frame = (body: string, sequence: number) => ({
  topic,
  body: Buffer.from(body),
  stamp: { sender: "relay-a", sequence },
});

describe("the admission pipeline", () => {
  it("counts gaps only for frames that passed its checks: a garbage or repeated frame's stamp reports nothing", async () => {
    const gaps: Gap[] = [];
    const rejections: Rejection[] = [];
    const admission = createAdmission({
      policy: createPolicy({ allowUnsigned: ["#"] }),
      onGap: (gap) => gaps.push(gap),
      onReject: (rejection) => rejections.push(rejection),
    });
    const one = JSON.stringify(createEnvelope({ topic, data: { text: "one" } }));
    const two = JSON.stringify(createEnvelope({ topic, data: { text: "two" } }));
    expect((await admission.admit(frame(one, 1))).status).toBe("accepted");
    // Garbage, a key twice, and a replay of `one`, each with a forged far-off stamp.
    expect((await admission.admit(frame("{nope", 999_999_999_999_999))).status).toBe("rejected");
    expect((await admission.admit(frame(`{"type":"x","type":"y"}`, 999_999_999))).status).toBe("rejected");
    expect((await admission.admit(frame(one, 888_888_888))).status).toBe("duplicate");
    expect((await admission.admit(frame(two, 2))).status).toBe("accepted");
    expect(gaps).toEqual([]);
    expect(admission.stats.missed).toBe(0);
    expect(rejections.map((rejection) => rejection.detail)).toEqual([
      "body is not JSON",
      'duplicate-key: "type" twice at /',
    ]);
  });
  it("fetches a message's schema only once its signature holds: an unsigned or forged post never makes it fetch", async () => {
    const { signingKey } = generateSigningKey("shop.web01");
    const trust = parseTrustFile({
      version: 1,
      keys: { "shop.web01": { publicKey: signingKey.publicKeyBase64, topics: ["org.example.*.shop.#"] } },
    });
    const fetched: string[] = [];
    const schemas: SchemaRegistry = {
      latest: () => undefined,
      lookup: (dataschema) => ({ status: "unknown-schema", dataschema }),
      prepare: (dataschema) => {
        fetched.push(dataschema);
        return Promise.resolve();
      },
    };
    const admission = createAdmission({ trust, schemas });
    const post = (dataschema: string, sign: boolean, forge = false) => {
      let envelope = createEnvelope({ topic: "org.example.dev.shop.order.placed", data: { n: 1 }, dataschema });
      if (sign) envelope = signEnvelope(envelope, signingKey);
      if (forge) envelope = { ...envelope, data: { n: 2 } };
      return admission.admit({ topic: envelope.type, body: Buffer.from(JSON.stringify(envelope)) });
    };
    expect((await post("herald:shop.order.placed/1.0", false)).status).toBe("rejected");
    expect((await post("herald:shop.order.placed/2.0", true, true)).status).toBe("rejected");
    expect(fetched).toEqual([]);
    expect((await post("herald:shop.order.placed/3.0", true)).status).toBe("accepted");
    expect(fetched).toEqual(["herald:shop.order.placed/3.0"]);
  });

  it("refuses a message whose schema cannot be used, instead of throwing", async () => {
    const schemas: SchemaRegistry = {
      latest: () => undefined,
      lookup: () => {
        throw new Error("schema is invalid: data/type must be equal to one of the allowed values");
      },
    };
    const admission = createAdmission({ policy: createPolicy({ allowUnsigned: ["#"] }), schemas });
    const envelope = createEnvelope({
      topic: "org.example.dev.shop.order.placed",
      data: {},
      dataschema: "herald:shop.order.placed/1.0",
    });
    const result = await admission.admit({ topic: envelope.type, body: Buffer.from(JSON.stringify(envelope)) });
    expect(result).toMatchObject({
      status: "rejected",
      rejection: {
        reason: "invalid-data",
        detail: expect.stringMatching(/the schema cannot be used: schema is invalid/),
      },
    });
  });
});
