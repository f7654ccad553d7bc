import {
  type Admission,
  type AdmissionOptions,
  type AdmissionStats,
  type CheckedFrame,
  createAdmission,
  type ReceivedMessage,
} from "./admission.js";
import { AsyncQueue } from "./async-queue.js";
import { createEnvelope, type Envelope, envelopeTypeOf, type JsonObject } from "./envelope.js";
import { HeraldError } from "./errors.js";
import type { SigningKey } from "./keys.js";
import { silentLogger } from "./logger.js";
import { createOrderedPipeline } from "./ordered-pipeline.js";
import type { Policy } from "./policy.js";
import { createGapRecovery, type GapRecovery, type RecoveryOptions } from "./recovery/gap-recovery.js";
import type { DataSchema, SchemaRegistry } from "./schema-registry.js";
import { signEnvelope } from "./signing.js";
import { assertValidTopic } from "./topic.js";
import { compileTopicPatterns } from "./topic-pattern.js";
import type { Transport, TransportSubscription } from "./transport.js";
import type { TrustStore } from "./trust.js";

/** Options of {@link createBus}. */
export interface BusOptions {
  transport: Transport;
  /** Topic prefix, e.g. `org.example`: `publish("git.receive", …)` goes to `<prefix>.<environment>.git.receive`. */
  prefix?: string;
  /** `prod`, `stg`, `dev`, ... */
  environment?: string;
  /** `source` of published envelopes; default `/<app>/<host>`. */
  source?: string;
  /** Signs every published message when set. */
  signingKey?: SigningKey;
  /** The keys subscribers believe. */
  trust?: TrustStore;
  /** What subscribers accept beyond `valid` messages (default: nothing). */
  policy?: Policy;
  /**
   * Topic schemas, a choice every bus makes: a registry (`loadSchemaCatalogue().registry` of
   * `@herald/schemas`: the built-in topics and the project's own), so `publish` checks data and
   * sets `dataschema` and subscribers refuse data that breaks the schema it names; or `"none"`,
   * said out loud, for a bus that carries data no schema describes.
   */
  schemas: SchemaRegistry | "none";
}

/** Per-subscription options. */
export interface SubscribeOptions extends Pick<AdmissionOptions, "onReject" | "onGap" | "duplicates" | "resumeFrom"> {
  /** How many accepted messages may wait for the application before the transport is pushed back. */
  bufferSize?: number;
  /**
   * Fetch what was missed. By default, after every gap, exactly the missing numbers from the
   * sending relay's journal where the transport can reach it (ZeroMQ: the configured `relays`);
   * with `stores`, what the journal no longer holds from message stores, and with `since`, what
   * was published while this subscriber was away. Recovered messages are verified like live
   * ones, delivered once, and flagged `recovered`. `false`: never fetch.
   */
  recover?: RecoveryOptions | false;
}

/** Per-message options of {@link Bus.publish}. */
export interface PublishOptions {
  /**
   * The schema version to publish under, e.g. `herald:git.receive/1.0` while consumers move to
   * 2.x. Default: the newest version the registry knows.
   */
  dataschema?: string;
}

/**
 * A subscription: iterate it with `for await` to get verified messages. Refusals and gaps are
 * reported through the options' callbacks and counted in `stats`.
 */
export interface Subscription<T = ReceivedMessage> extends AsyncIterable<T> {
  readonly stats: AdmissionStats;
  /** Stops receiving; iteration ends after the messages already queued. */
  close(): Promise<void>;
}

/** Handles one accepted message; the transport acknowledges it only once this resolves. */
export type MessageHandler<T = ReceivedMessage> = (message: T) => void | Promise<void>;

/**
 * Events to receive by schema name rather than by topic pattern: `{ events: ["git.receive"] }` on
 * `<prefix>.<environment>.git.receive`. A plain name is its newest major the registry knows,
 * `name@1` major 1 (a codegen `TopicMap` has both keys).
 */
export interface EventSelection<K extends string = string> {
  events: readonly K[];
}

/**
 * A message of an {@link EventSelection}: `event` narrows `data` to that event's type. Only messages
 * whose data was checked valid against a schema of that major are delivered, so the type holds.
 */
export type EventMessage<M extends object, K extends keyof M & string> = {
  [E in K]: ReceivedMessage & { event: E; data: M[E] };
}[K];

/** Per-consumer options of {@link Bus.consume}. */
export type ConsumeOptions = Pick<AdmissionOptions, "onReject" | "onGap" | "duplicates">;

/** A running {@link Bus.consume}. */
export interface Consumption {
  readonly stats: AdmissionStats;
  /** Stops taking messages; resolves once the message being handled is done. */
  close(): Promise<void>;
}

/** Schema names to their data types; `TopicMap` of `@herald/schemas` is one. */
export type TopicTypes = { [name: string]: object };

/**
 * The application's handle on the bus. With a topic map (`createBus<TopicMap>(…)`), `publish`
 * accepts only known event names, each with its own data type: a misspelt field is a compile error.
 */
export interface Bus<M extends object = TopicTypes> {
  /**
   * Publishes `data` on `<prefix>.<environment>.<event>` (`event` is the schema name, e.g.
   * `git.receive`, checked against its newest major; `shop.order.placed@1` publishes major 1's
   * newest minor, for a move between majors), signed when the bus has a key. Resolves with the
   * envelope once the transport accepted it.
   * @throws HeraldError `E_TOPIC`, `E_ENVELOPE`, `E_TRANSPORT`, `E_CLOSED`
   */
  publish<K extends keyof M & string>(event: K, data: M[K], options?: PublishOptions): Promise<Envelope>;
  /**
   * Sends a prepared envelope unchanged (already signed, or meant to travel unsigned).
   * @throws HeraldError `E_TOPIC`, `E_TRANSPORT`, `E_CLOSED`
   */
  publishEnvelope(envelope: Envelope | Buffer): Promise<void>;
  /** The full topic for an event name: `<prefix>.<environment>.<event>`. */
  topic(event: string): string;
  /**
   * Subscribes to events by schema name, typed by the bus's topic map: `for await (const m of
   * await bus.subscribe({ events: ["git.receive"] }))` has `m.data` of the event's type. Needs a
   * schema registry (the data is narrowed once it was checked).
   * @throws HeraldError `E_CONFIG` without a registry or a prefix, `E_SCHEMA` for an unknown event
   */
  subscribe<K extends keyof M & string>(
    selection: EventSelection<K>,
    options?: SubscribeOptions,
  ): Promise<Subscription<EventMessage<M, K>>>;
  /** Subscribes to full-topic patterns (`org.example.*.git.#`). */
  subscribe(patterns: readonly string[], options?: SubscribeOptions): Promise<Subscription>;
  /**
   * Calls `handler` for each accepted message, one at a time, and acknowledges a message to the
   * transport only once its handler resolved: what a long-running consumer on a durable AMQP
   * queue wants, since a message whose handler threw, or whose process died first, is delivered
   * again (up to the queue's delivery limit, then to its dead-letter queue). On ZeroMQ, which has
   * no acknowledgements, it is `subscribe` with a callback.
   */
  consume(patterns: readonly string[], handler: MessageHandler, options?: ConsumeOptions): Promise<Consumption>;
  /** {@link Bus.consume} of events by schema name, typed as {@link Bus.subscribe} with a selection is. */
  consume<K extends keyof M & string>(
    selection: EventSelection<K>,
    handler: MessageHandler<EventMessage<M, K>>,
    options?: ConsumeOptions,
  ): Promise<Consumption>;
  /** Closes every subscription, flushes what was published and closes the transport. */
  close(): Promise<void>;
}

/** How many received messages may be verifying at once per subscription (on the verification workers). */
const verifyWindow = 256;

/** Creates a {@link Bus} over a transport. */
export function createBus<M extends object = TopicTypes>(options: BusOptions): Bus<M> {
  const { transport } = options;
  const subscriptions = new Set<Subscription>();
  const consumptions = new Set<Consumption>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new HeraldError("E_CLOSED", "the bus is closed");
  };

  const topic = (event: string) => {
    if (options.prefix === undefined || options.environment === undefined) {
      throw new HeraldError("E_CONFIG", "publishing by event name needs a prefix and an environment");
    }
    const full = `${options.prefix}.${options.environment}.${event}`;
    assertValidTopic(full);
    return full;
  };

  const publishEnvelope = async (envelope: Envelope | Buffer) => {
    ensureOpen();
    const body = Buffer.isBuffer(envelope) ? envelope : Buffer.from(JSON.stringify(envelope), "utf8");
    const type = Buffer.isBuffer(envelope) ? envelopeTypeOf(envelope) : envelope.type;
    assertValidTopic(type);
    await transport.send(type, body, Buffer.isBuffer(envelope) ? undefined : envelope.id);
  };

  const schemas = options.schemas === "none" ? undefined : options.schemas;
  return {
    topic,
    publishEnvelope,
    async publish(event, data, publishOptions = {}) {
      const { name, major } = eventName(event);
      const dataschema = checkData(schemas, name, major, data as JsonObject, publishOptions.dataschema);
      let envelope = createEnvelope({
        topic: topic(name),
        app: name.split(".")[0] as string,
        data: data as JsonObject,
        ...(options.source === undefined ? {} : { source: options.source }),
        ...(dataschema === undefined ? {} : { dataschema }),
      });
      if (options.signingKey !== undefined) envelope = signEnvelope(envelope, options.signingKey);
      await publishEnvelope(envelope);
      return envelope;
    },
    async subscribe(selection: readonly string[] | EventSelection, subscribeOptions: SubscribeOptions = {}) {
      ensureOpen();
      const typed = Array.isArray(selection) ? undefined : eventFilter(selection as EventSelection, schemas, topic);
      const patterns = typed?.patterns ?? (selection as readonly string[]);
      const deliver = (message: ReceivedMessage) => (typed === undefined ? message : typed.label(message));
      const matches = compileTopicPatterns(patterns);
      let recovery: GapRecovery | undefined;
      const admission: Admission = createAdmission({
        ...subscribeOptions,
        onGap: (gap) => {
          subscribeOptions.onGap?.(gap);
          recovery?.gap(gap);
        },
        ...(options.trust === undefined ? {} : { trust: options.trust }),
        ...(options.policy === undefined ? {} : { policy: options.policy }),
        ...(schemas === undefined ? {} : { schemas }),
      });
      const queue = new AsyncQueue<ReceivedMessage>(subscribeOptions.bufferSize);
      // Signatures verify in parallel; decisions and delivery stay in arrival order.
      const pipeline = createOrderedPipeline<CheckedFrame>(verifyWindow, (checked) => {
        const result = admission.decide(checked);
        if (result.status !== "accepted") return undefined;
        recovery?.seen(result.message.topic, result.message.envelope.time);
        const delivered = deliver(result.message);
        return delivered === undefined ? undefined : queue.push(delivered);
      });
      const recover =
        subscribeOptions.recover === false
          ? undefined
          : (subscribeOptions.recover ?? (transport.fetchMissed === undefined ? undefined : {}));
      if (recover !== undefined) {
        const journal = transport.fetchMissed?.bind(transport);
        recovery = createGapRecovery(
          {
            ...recover,
            // What no journal or store gave back is lost for good: counted and said, never silent.
            onRecovered(report) {
              const lost = report.missed === undefined ? 0 : report.missed - report.recovered;
              if (lost > 0) {
                admission.stats.lost += lost;
                (recover.logger ?? silentLogger).warn(
                  `could not recover ${lost} of the ${report.missed} message(s) missed on ${report.topics.join(" ")}: no journal or store holds them`,
                );
              }
              recover.onRecovered?.(report);
            },
          },
          async (body) => {
            const topic = envelopeTypeOfOrEmpty(body);
            if (!matches(topic)) return false;
            const result = admission.decide(await admission.check({ topic, body }));
            if (result.status !== "accepted") return false;
            const delivered = deliver({ ...result.message, recovered: true });
            if (delivered !== undefined) await queue.push(delivered);
            return true;
          },
          journal,
        );
        const { since } = recover;
        if (since !== undefined) recovery.catchUp(patterns, since);
      }
      const inner: TransportSubscription = await transport.subscribe(patterns, (frame) =>
        matches(frame.topic) ? pipeline.push(admission.check(frame)) : undefined,
      );
      const subscription: Subscription = {
        stats: admission.stats,
        [Symbol.asyncIterator]: () => queue,
        async close() {
          subscriptions.delete(subscription);
          recovery?.close();
          // What is in flight still lands in the queue (an acknowledging transport has it
          // acknowledged only then), without waiting for a reader that may have stopped.
          queue.release();
          await inner.close();
          await pipeline.drained();
          queue.close();
        },
      };
      subscriptions.add(subscription);
      // Typed or not, the same messages: a typed selection only narrows what it delivers.
      return subscription as never;
    },
    async consume(
      selection: readonly string[] | EventSelection,
      handler: MessageHandler<never>,
      consumeOptions: ConsumeOptions = {},
    ) {
      ensureOpen();
      const typed = Array.isArray(selection) ? undefined : eventFilter(selection as EventSelection, schemas, topic);
      const patterns = typed?.patterns ?? (selection as readonly string[]);
      const matches = compileTopicPatterns(patterns);
      const admission = createAdmission({
        ...consumeOptions,
        ...(options.trust === undefined ? {} : { trust: options.trust }),
        ...(options.policy === undefined ? {} : { policy: options.policy }),
        ...(schemas === undefined ? {} : { schemas }),
      });
      const inner = await transport.subscribe(patterns, async (frame) => {
        if (!matches(frame.topic)) return;
        const result = await admission.admit(frame);
        if (result.status !== "accepted") return;
        const delivered = typed === undefined ? result.message : typed.label(result.message);
        if (delivered === undefined) return;
        try {
          await (handler as MessageHandler)(delivered);
        } catch (error) {
          // The broker delivers it again: it must not be dropped then as a repeat.
          admission.forget(result.message.envelope.id);
          throw error;
        }
      });
      const consumption: Consumption = {
        stats: admission.stats,
        async close() {
          consumptions.delete(consumption);
          await inner.close();
        },
      };
      consumptions.add(consumption);
      return consumption;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions, ...consumptions].map((subscription) => subscription.close()));
      await transport.close();
    },
  };
}

/** The envelope's `type` or "" when the body is not an envelope (the admission then says why). */
function envelopeTypeOfOrEmpty(body: Buffer): string {
  try {
    return envelopeTypeOf(body);
  } catch {
    return "";
  }
}

/**
 * The topics of an {@link EventSelection} and how a received message becomes an event message:
 * only data checked valid against a schema of the selected major is delivered, labelled with its key.
 * @throws HeraldError `E_CONFIG` without a registry, `E_SCHEMA` for an event the registry does not know
 */
function eventFilter(
  selection: EventSelection,
  schemas: SchemaRegistry | undefined,
  topic: (event: string) => string,
): { patterns: string[]; label(message: ReceivedMessage): ReceivedMessage | undefined } {
  if (schemas === undefined)
    throw new HeraldError(
      "E_CONFIG",
      "receiving by event name needs a schema registry: data is typed once it is checked",
    );
  // topic → major → the selection's key
  const keys = new Map<string, Map<number, string>>();
  for (const key of selection.events) {
    const { name, major: named } = eventName(key);
    const major = named ?? majorOf(schemas.latest(name)?.dataschema);
    if (major === undefined) throw new HeraldError("E_SCHEMA", `no schema for ${name}: unknown topic`);
    const full = topic(name);
    const majors = keys.get(full) ?? new Map<number, string>();
    majors.set(major, key);
    keys.set(full, majors);
  }
  return {
    patterns: [...keys.keys()],
    label(message) {
      if (message.schema !== "valid") return undefined;
      const event = keys.get(message.topic)?.get(majorOf(message.envelope.dataschema) ?? -1);
      return event === undefined ? undefined : ({ ...message, event, data: message.envelope.data } as ReceivedMessage);
    },
  };
}

/** The major of a `herald:<name>/<major>.<minor>` dataschema. */
function majorOf(dataschema: string | undefined): number | undefined {
  const match = dataschema === undefined ? null : /\/(\d+)\.\d+$/.exec(dataschema);
  return match === null ? undefined : Number(match[1]);
}

/**
 * `shop.order.placed@1` → the schema name and the major to publish (a `TopicMap` key of codegen);
 * a plain name publishes its newest major.
 * @throws HeraldError `E_TOPIC` when what follows `@` is not a major version.
 */
function eventName(event: string): { name: string; major: number | undefined } {
  const at = event.indexOf("@");
  if (at < 0) return { name: event, major: undefined };
  const major = event.slice(at + 1);
  if (!/^(0|[1-9]\d{0,5})$/.test(major))
    throw new HeraldError("E_TOPIC", `${JSON.stringify(event)}: what follows @ must be a major version`);
  return { name: event.slice(0, at), major: Number(major) };
}

/**
 * Checks data against its schema before it leaves (compiled once in the registry) and returns the
 * `dataschema` to set. Without a registry, the caller's `dataschema` (if any) passes unchecked.
 * @throws HeraldError `E_SCHEMA` naming the JSON path and the rule broken.
 */
function checkData(
  schemas: SchemaRegistry | undefined,
  event: string,
  major: number | undefined,
  data: JsonObject,
  dataschema?: string,
): string | undefined {
  if (schemas === undefined) return dataschema;
  let schema: DataSchema | undefined;
  if (dataschema === undefined && major !== undefined) {
    // A minor newer than any known resolves to the major's newest known one: that is the one to use.
    const lookup = schemas.lookup(`herald:${event}/${major}.${Number.MAX_SAFE_INTEGER}`);
    if (lookup.status !== "found") throw new HeraldError("E_SCHEMA", `no schema for ${event} major ${major}`);
    schema = lookup.schema;
  } else if (dataschema === undefined) {
    schema = schemas.latest(event);
    if (schema === undefined) throw new HeraldError("E_SCHEMA", `no schema for ${event}: unknown topic`);
  } else {
    const lookup = schemas.lookup(dataschema);
    if (lookup.status !== "found") throw new HeraldError("E_SCHEMA", `${dataschema}: ${lookup.status}`);
    schema = lookup.schema;
  }
  const check = schema.check(data);
  if (!check.ok)
    throw new HeraldError(
      "E_SCHEMA",
      `invalid data for ${schema.dataschema}: ${check.path} ${check.message} (${check.rule})`,
    );
  return schema.dataschema;
}
