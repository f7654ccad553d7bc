import type { Connection, Envelope, Publisher } from "rabbitmq-client";

/** Publishes with broker confirms: see {@link createConfirmPublisher}. */
export interface ConfirmPublisher {
  /** Resolves once the broker confirmed the message; rejects when it refused or the channel broke. */
  send(envelope: Envelope, body: Buffer | string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A publisher in confirm mode on its own channel, opened when first used (declaring `exchanges`
 * there) and opened afresh after any failed publish. A channel whose publish was refused can go
 * on refusing every one: after a cluster node dies, RabbitMQ's quorum-queue client inside that
 * channel may keep aiming at the dead leader. A new channel finds the queue's new leader.
 */
export function createConfirmPublisher(
  connection: Connection,
  exchanges: { exchange: string; type: string; durable: boolean }[] = [],
): ConfirmPublisher {
  let publisher: Publisher | undefined;
  let closed = false;
  return {
    async send(envelope, body) {
      publisher ??= connection.createPublisher({ confirm: true, maxAttempts: 3, exchanges });
      const current = publisher;
      try {
        await current.send(envelope, body);
      } catch (error) {
        if (publisher === current && !closed) {
          publisher = undefined;
          current.close().catch(() => {});
        }
        throw error;
      }
    },
    async close() {
      closed = true;
      await publisher?.close();
    },
  };
}
