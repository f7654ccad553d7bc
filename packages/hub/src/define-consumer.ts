import type { TopicMap } from "@herald/schemas";
import type { Envelope, Logger } from "@herald/sdk";

/** A schema name the catalogue knows: `git.receive`, `account.user.create`. */
export type EventName = keyof TopicMap & string;

/**
 * One accepted message as a consumer sees it. `event` narrows `data`: inside
 * `if (message.event === "git.receive")`, `data` is `GitReceiveV…`. `M` is the topic map the
 * types come from: the built-in `TopicMap`, an app's own (`import type { TopicMap } from "shop-schemas"`),
 * or both (`TopicMap & ShopTopicMap`).
 */
export type ConsumerMessage<K extends string = EventName, M extends object = TopicMap> = {
  [E in K]: {
    event: E;
    data: E extends keyof M ? M[E] : Record<string, unknown>;
    /** The full topic, `<prefix>.<environment>.<event>`. */
    topic: string;
    envelope: Envelope;
    /** Fetched from a store after a gap or a restart rather than received live. */
    recovered: boolean;
  };
}[K];

/** What a handler gets beside the message. */
export interface ConsumerContext {
  /** The `settings` table of this consumer's `[[hub.consumers]]` entry. */
  settings: Readonly<Record<string, unknown>>;
  /** Lines go to the hub's log, prefixed with the consumer's name. */
  logger: Logger;
  /** Aborted when the attempt times out or the hub stops: pass it to fetch() and friends. */
  signal: AbortSignal;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  /**
   * Publishes a message of the hub's own (signed with its key, through its relays); present only
   * when the hub has a signing key. Resolves once a relay acknowledged it.
   */
  publish?: (event: string, data: object) => Promise<void>;
}

/** What {@link defineConsumer} takes: a name, the events it declares, and its handler. */
export interface ConsumerDefinition<K extends string = EventName, M extends object = TopicMap> {
  /** Names its queue, its metrics and its log lines: `[a-z0-9][a-z0-9._-]*`. */
  name: string;
  /** Every event the consumer handles, declared up front; the hub subscribes to exactly these. */
  topics: readonly K[];
  /**
   * Events it publishes through `context.publish`, declared so the documentation site can say
   * who publishes each topic; when given, publishing any other event is refused.
   */
  publishes?: readonly (keyof M & string)[];
  /**
   * Handles one message. It must be idempotent (a message may come twice: after a retry, a
   * restart, or a redelivery), finish within the hub's timeout, and honour `context.signal`.
   * Throwing means "try again later".
   */
  handle(message: ConsumerMessage<K, M>, context: ConsumerContext): void | Promise<void>;
}

/** A consumer as the hub holds it, whatever events and topic map it declared. */
export type AnyConsumer = ConsumerDefinition<string, Record<string, object>>;

/** A message as the hub hands it to any consumer. */
export type AnyConsumerMessage = ConsumerMessage<string, Record<string, object>>;

/**
 * Declares a consumer for `herald hub` to host: export it as the module's default export. Typed
 * by a generated topic map (the built-in one by default, or an app's: `defineConsumer<ShopTopicMap>(…)`),
 * so `topics` accepts only known events and `handle` sees each event's own data type.
 *
 * @example
 * export default defineConsumer({
 *   name: "welcome",
 *   topics: ["account.user.create"],
 *   async handle(message) { await greet(message.data.username); },
 * });
 */
export function defineConsumer<M extends object = TopicMap, const K extends keyof M & string = keyof M & string>(
  definition: ConsumerDefinition<K, M>,
): ConsumerDefinition<K, M> {
  return definition;
}
