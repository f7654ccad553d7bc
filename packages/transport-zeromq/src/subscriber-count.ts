import type { XPublisher } from "zeromq";
import { heartbeatTopic } from "./heartbeat.js";

/** What an XPUB socket has heard of its subscribers, read live. */
export interface SubscriberCount {
  /** Subscriptions in place now, from every kind of subscriber (fedmsg's consumers too). */
  readonly subscriptions: number;
  /**
   * Herald subscribers connected now: each subscribes the heartbeat topic once, after its topic
   * prefixes, so one counted here has all its subscriptions in place.
   */
  readonly heraldSubscribers: number;
}

/**
 * Counts the subscriptions an XPUB socket made with `verbosity: "allSubsUnsubs"` is told of (a
 * byte 1 or 0, then the prefix; a subscriber that goes away unsubscribes each of its prefixes),
 * reading them until the socket closes. Costs nothing per message sent.
 */
export function countSubscribers(publisher: XPublisher): SubscriberCount {
  const heartbeat = Buffer.from(heartbeatTopic, "latin1");
  const count = { subscriptions: 0, heraldSubscribers: 0 };
  void (async () => {
    try {
      for (;;) {
        const [message] = await publisher.receive();
        if (message === undefined || message.length === 0) continue;
        const change = message[0] === 1 ? 1 : -1;
        count.subscriptions += change;
        if (message.length === heartbeat.length + 1 && message.subarray(1).equals(heartbeat))
          count.heraldSubscribers += change;
      }
    } catch {
      // Closed: nothing more to count.
    }
  })();
  return count;
}
