import type { AdmissionStats, Transport } from "@herald/sdk";
import type { MetricsSource } from "./metrics.js";

/**
 * The metrics of a part that receives through an admission (a relay, a store's subscription):
 * received, accepted, refused by reason, lost in gaps; and its transport's reconnections and, for
 * one that publishes (a relay's outbound), the subscribers connected to it.
 */
export function admissionSource(part: string, stats: () => AdmissionStats, transport?: Transport): MetricsSource {
  return {
    part,
    messagesIn: () => stats().received,
    messagesOut: () => stats().accepted,
    rejected: () => stats().rejected,
    missed: () => stats().missed,
    gaps: () => stats().gaps,
    lost: () => stats().lost,
    ...(transport !== undefined && "reconnects" in transport
      ? { reconnects: () => (transport as { reconnects: number }).reconnects }
      : {}),
    ...(typeof (transport as { subscribers?: unknown } | undefined)?.subscribers === "number"
      ? { subscribers: () => (transport as unknown as { subscribers: number }).subscribers }
      : {}),
  };
}

/** False while a broker transport has lost its connection; a brokerless one is always up. */
export function transportUp(transport: Transport): boolean {
  return !("connected" in transport) || (transport as { connected: boolean }).connected;
}
