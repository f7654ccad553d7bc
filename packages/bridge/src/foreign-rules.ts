import { createEnvelope, type Envelope, HeraldError, heraldIdFor, isValidTopic, type JsonObject } from "@herald/sdk";
import type { BridgeConfig } from "./bridge-config.js";
import { bridgeSource } from "./bridge-direction.js";

/** One message from a foreign broker, as every foreign kind (AMQP 0-9-1, AMQP 1.0, STOMP) hands it over. */
export interface ForeignMessage {
  /** What the rules match: a routing key, a subject, or an address without its `topic://` or `/queue/` prefix. */
  key: string;
  /** The JSON object the message carried, already read through the bounded reader. */
  data: JsonObject;
  /** The broker's id of the message; the same id always gives the same Herald id. */
  messageId?: string;
  /** When the sender sent it; without one, the message is dated on arrival. */
  time?: Date;
}

/** The `[[bridges.rules]]` of a foreign bridge, compiled once: the topic a key gets and its schema, if any. */
export type ForeignRules = (key: string) => { topic: string; dataschema?: string } | undefined;

/**
 * Compiles a bridge's rules. A `match` is an AMQP routing-key pattern over dot-separated words
 * (`*` one word, `#` zero or more); the first rule that matches gives the topic, in which `{key}`
 * stands for the whole key and `{1}`, `{2}`… for the words each wildcard matched, lower-cased, so
 * `VirtualTopic.eng.bugzilla.#` → `org.example.prod.bugzilla.{1}` keeps only the part that
 * names the event. A rule's `schema` (`bugzilla.bug.create/1.0`) becomes the envelope's
 * `dataschema`, so relays check the data against it.
 * @throws HeraldError `E_CONFIG` when the bridge has no rules, or a topic names a wildcard its
 *   pattern does not have.
 */
export function compileForeignRules(bridge: BridgeConfig): ForeignRules {
  if (!bridge.rules?.length)
    throw new HeraldError("E_CONFIG", `bridge ${bridge.name}: ${bridge.kind} needs at least one [[bridges.rules]]`);
  const rules = bridge.rules.map((rule, index) => {
    const words = rule.match.split(".");
    const wildcards = words.filter((word) => word === "*" || word === "#").length;
    for (const [, position] of rule.topic.matchAll(/\{(\d+)\}/g))
      if (Number(position) < 1 || Number(position) > wildcards)
        throw new HeraldError(
          "E_CONFIG",
          `bridge ${bridge.name}: rules[${index}]: topic ${JSON.stringify(rule.topic)} uses {${position}} but ${JSON.stringify(rule.match)} has ${wildcards} wildcard(s)`,
        );
    return { words, topic: rule.topic, ...(rule.schema === undefined ? {} : { dataschema: `herald:${rule.schema}` }) };
  });
  return (key) => {
    const keyWords = key.split(".");
    for (const rule of rules) {
      const captures = matchWords(rule.words, 0, keyWords, 0);
      if (captures === undefined) continue;
      const topic = rule.topic
        .replaceAll("{key}", key.toLowerCase())
        .replace(/\{(\d+)\}/g, (_, position: string) => (captures[Number(position) - 1] ?? "").toLowerCase());
      return { topic, ...(rule.dataschema === undefined ? {} : { dataschema: rule.dataschema }) };
    }
    return undefined;
  };
}

/**
 * The words each wildcard of `pattern` matched in `key` (joined with dots), or undefined when it
 * does not match. `#` takes as few words as it can, so with two `#` the first is the shorter.
 */
function matchWords(pattern: readonly string[], p: number, key: readonly string[], k: number): string[] | undefined {
  if (p === pattern.length) return k === key.length ? [] : undefined;
  const word = pattern[p];
  if (word === "#") {
    for (let end = k; end <= key.length; end++) {
      const rest = matchWords(pattern, p + 1, key, end);
      if (rest !== undefined) return [key.slice(k, end).join("."), ...rest];
    }
    return undefined;
  }
  if (k === key.length) return undefined;
  if (word === "*") {
    const rest = matchWords(pattern, p + 1, key, k + 1);
    return rest === undefined ? undefined : [key[k] as string, ...rest];
  }
  return word === key[k] ? matchWords(pattern, p + 1, key, k + 1) : undefined;
}

/**
 * The unsigned envelope of a foreign message, by the first rule that matches its key.
 * @throws HeraldError `E_TOPIC` when no rule matches, or the rule gives no valid topic.
 */
export function foreignEnvelope(message: ForeignMessage, rules: ForeignRules, source: string): Envelope {
  const mapped = rules(message.key);
  if (mapped === undefined) throw new HeraldError("E_TOPIC", `no rule matches its key ${JSON.stringify(message.key)}`);
  const { topic, dataschema } = mapped;
  if (!isValidTopic(topic))
    throw new HeraldError("E_TOPIC", `its rule gives ${JSON.stringify(topic)}, not a valid topic`);
  return createEnvelope({
    topic,
    data: message.data,
    source,
    time: message.time ?? new Date(),
    ...(dataschema === undefined ? {} : { dataschema }),
    ...(message.messageId ? { id: heraldIdFor(message.messageId) } : {}),
  });
}

/**
 * A foreign bridge's conversion, compiled once from its rules: message → unsigned envelope.
 * @throws HeraldError `E_CONFIG` as {@link compileForeignRules} does.
 */
export function foreignConverter(bridge: BridgeConfig): (message: ForeignMessage) => Envelope {
  const rules = compileForeignRules(bridge);
  const source = bridgeSource(bridge);
  return (message) => foreignEnvelope(message, rules, source);
}
