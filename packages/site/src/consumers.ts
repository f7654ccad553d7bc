/**
 * A hosted consumer as the site shows it: what `[[hub.consumers]]` declares through its module's
 * `defineConsumer({ name, topics, publishes })`. The site never runs a handler; `herald docs build`
 * reads these declarations the way `herald hub` loads them.
 */
export interface ConsumerDoc {
  name: string;
  /** The module's package name, or its path as herald.toml gives it. */
  module: string;
  /** Events it handles. */
  topics: readonly string[];
  /** Events it publishes through the hub (declared; empty when it publishes none). */
  publishes: readonly string[];
}

/** Who handles and who publishes a topic, among the declared consumers. */
export function consumersOf(
  topic: string,
  consumers: readonly ConsumerDoc[],
): { handledBy: ConsumerDoc[]; publishedBy: ConsumerDoc[] } {
  return {
    handledBy: consumers.filter((consumer) => consumer.topics.includes(topic)),
    publishedBy: consumers.filter((consumer) => consumer.publishes.includes(topic)),
  };
}
