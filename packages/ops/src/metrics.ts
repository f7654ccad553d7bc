import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

/**
 * Live numbers of one part of a long-running command (the relay, one direction of a bridge, the
 * store's ingest). Each is read when Prometheus scrapes, so counting costs nothing per message.
 */
export interface MetricsSource {
  /** Names the part in the `part` label: `relay`, `fleet.in`, `store`. */
  part: string;
  messagesIn?: () => number;
  messagesOut?: () => number;
  /** Refused messages by reason (PROTOCOL.md §4 outcomes, and the part's own reasons). */
  rejected?: () => Record<string, number>;
  /** Gaps detected in publishers' sequences, and the messages they lost. */
  gaps?: () => number;
  missed?: () => number;
  /** Messages of those gaps recovery could not bring back. */
  lost?: () => number;
  /** Messages waiting inside the part (a buffer, a backlog, messages in flight). */
  queueDepth?: () => number;
  /** Times a connection (to a broker, a database) was re-established. */
  reconnects?: () => number;
  /**
   * Subscribers connected to the part's publishing socket: Herald subscribers on a relay's
   * outbound, fedmsg consumers' subscriptions on a fedmsg bridge's out socket.
   */
  subscribers?: () => number;
}

/** A command's Prometheus registry: default process metrics plus the `herald_*` metrics of its parts. */
export interface CommandMetrics {
  readonly registry: Registry;
  add(source: MetricsSource): void;
}

type Reading = keyof Omit<MetricsSource, "part" | "rejected">;

const metricHelp: Record<Reading, [name: string, help: string, kind: "counter" | "gauge"]> = {
  messagesIn: ["herald_messages_in_total", "Messages received", "counter"],
  messagesOut: ["herald_messages_out_total", "Messages sent on, stored or delivered", "counter"],
  gaps: ["herald_gaps_total", "Gaps detected in publishers' sequence numbers", "counter"],
  missed: ["herald_messages_missed_total", "Messages known lost in those gaps", "counter"],
  lost: ["herald_messages_lost_total", "Messages of those gaps that recovery could not bring back", "counter"],
  queueDepth: ["herald_queue_depth", "Messages waiting inside the command", "gauge"],
  reconnects: ["herald_reconnects_total", "Connections re-established", "counter"],
  subscribers: ["herald_subscribers", "Subscribers connected to the part's publishing socket", "gauge"],
};

/**
 * Creates the metrics of one command (`herald_messages_in_total{command, part}` and so on), with
 * prom-client — the library Prometheus' own Node.js documentation points to — rather than text
 * written by hand.
 */
export function createCommandMetrics(command: string): CommandMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ command });
  collectDefaultMetrics({ register: registry });
  const sources: MetricsSource[] = [];

  for (const [reading, [name, help, kind]] of Object.entries(metricHelp) as [Reading, (typeof metricHelp)[Reading]][]) {
    const Metric = kind === "counter" ? Counter : Gauge;
    new Metric({
      name,
      help,
      labelNames: ["part"],
      registers: [registry],
      collect(this: Counter | Gauge) {
        this.reset();
        for (const source of sources) {
          const read = source[reading];
          if (read === undefined) continue;
          if (this instanceof Counter) this.inc({ part: source.part }, read());
          else this.set({ part: source.part }, read());
        }
      },
    });
  }
  new Counter({
    name: "herald_messages_rejected_total",
    help: "Messages refused, by reason",
    labelNames: ["part", "reason"],
    registers: [registry],
    collect() {
      this.reset();
      for (const source of sources) {
        for (const [reason, count] of Object.entries(source.rejected?.() ?? {}))
          if (count > 0) this.inc({ part: source.part, reason }, count);
      }
    },
  });
  return { registry, add: (source) => sources.push(source) };
}
