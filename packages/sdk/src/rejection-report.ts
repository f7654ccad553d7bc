import type { Rejection } from "./admission.js";
import type { Logger } from "./logger.js";

/** Counts refused messages by reason and reports them at most once a second, never per message. */
export interface RejectionReport {
  /** The `onReject` callback of a subscription. */
  count(rejection: Rejection): void;
  /**
   * Counts a refusal that is not an admission's: a bridge's message it cannot convert, say.
   * `reason` is a short code (`unconvertible`), `detail` the sentence that explains it.
   */
  refuse(reason: string, detail: string, topic?: string): void;
  /** Reports what was counted since the last report (at the end, for instance). */
  flush(): void;
  /** Every refusal so far, by reason: `bad-signature 3, malformed 1`, or `none`. */
  summary(): string;
  stop(): void;
}

/** Kinds of refusal remembered as already said; past this, new kinds are only counted. */
const maxKinds = 1000;
/** Lines said at once in one second, whatever comes: the rest waits for the counts. */
const maxImmediatePerSecond = 20;

/**
 * A once-a-second report of refusals, so a flood of forged messages costs a few log lines a
 * second rather than one per message. The first refusal of each kind — its reason and the shape of
 * its detail, numbers and quoted text left out — is said at once with its detail, so no reason
 * is ever lost behind a count; then a timer reports the counts of the last second by reason,
 * without waiting for another refusal.
 */
export function createRejectionReport(logger: Logger): RejectionReport {
  const totals = new Map<string, number>();
  let sinceReport = new Map<string, number>();
  const said = new Set<string>();
  let saidThisSecond = 0;
  let heldBack = 0;
  const flush = () => {
    saidThisSecond = 0;
    if (sinceReport.size === 0) return;
    const counts = [...sinceReport].map(([reason, count]) => `${reason} ${count}`).join(", ");
    const total = [...sinceReport.values()].reduce((sum, count) => sum + count, 0);
    const unsaid = heldBack > 0 ? ` (${heldBack} of a kind not yet described: too many kinds at once)` : "";
    sinceReport = new Map();
    heldBack = 0;
    logger.warn(
      `refused ${total} message(s) since the last report: ${counts}${unsaid}; since the start ${everyRefusal}: ${summary()}`,
    );
  };
  const summary = () => [...totals].map(([reason, count]) => `${reason} ${count}`).join(", ") || "none";
  const timer = setInterval(flush, 1000);
  timer.unref();
  let everyRefusal = 0;
  const refuse = (reason: string, detail: string, topic?: string) => {
    everyRefusal++;
    totals.set(reason, (totals.get(reason) ?? 0) + 1);
    sinceReport.set(reason, (sinceReport.get(reason) ?? 0) + 1);
    const kind = `${reason}\u0000${shapeOf(detail)}`;
    if (said.has(kind)) return;
    if (saidThisSecond >= maxImmediatePerSecond || said.size >= maxKinds) {
      heldBack++;
      return;
    }
    said.add(kind);
    saidThisSecond++;
    const where = topic === undefined || topic === "" ? "" : ` on ${printable(topic, 200)}`;
    logger.warn(`refused a message${where}: ${reason}: ${printable(detail, 300)}`);
  };
  return {
    count: ({ reason, detail, topic }) => refuse(reason, detail, topic),
    refuse,
    flush,
    summary,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}

/**
 * What stays of a detail once what varies from message to message is left out — numbers, ids,
 * quoted text — so "byte 12" and "byte 40" are one kind, and "not JSON" and "no topic" two.
 */
function shapeOf(detail: string): string {
  return detail
    .slice(0, 300)
    .replace(/"(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`/g, "…")
    .replace(/[0-9a-f]{8,}(?:-[0-9a-f]{4,})*/gi, "#")
    .replace(/\d+/g, "#");
}

/** A sender's text made safe for one log line: control characters shown as `?`, cut to `max`. */
function printable(text: string, max: number): string {
  return text.slice(0, max).replace(/\p{Cc}/gu, "?");
}
