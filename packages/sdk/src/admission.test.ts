import { describe, expect, it } from "vitest";
import { createAdmission, type Rejection } from "./admission.js";
import { createEnvelope } from "./envelope.js";
import { createPolicy } from "./policy.js";
import type { Gap } from "./sequence.js";

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
});
