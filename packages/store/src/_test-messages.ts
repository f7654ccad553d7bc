import { catalogue } from "@herald/schemas";
import { createEnvelope, type ReceivedMessage } from "@herald/sdk";
import { toStoredMessage } from "./stored-message.js";

/** Stored messages built from the catalogue's examples, `count` of them, one minute apart from `from`. */
export function storedExamples(count: number, from = Date.parse("2026-11-27T12:00:00Z")) {
  return Array.from({ length: count }, (_, n) => {
    const topic = catalogue[n % catalogue.length]!;
    const envelope = createEnvelope({
      topic: `org.example.prod.${topic.name}`,
      app: topic.app,
      data: topic.examples[0] as never,
      dataschema: `herald:${topic.name}/${topic.version}`,
      time: new Date(from + n * 60_000),
    });
    const raw = Buffer.from(JSON.stringify(envelope));
    const message: ReceivedMessage = { topic: envelope.type, envelope, raw, outcome: "unsigned", schema: "valid" };
    return toStoredMessage(message);
  });
}
