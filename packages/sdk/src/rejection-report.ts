import type { Rejection, RejectReason } from "./admission.js";
import type { Logger } from "./logger.js";

/** Counts refused messages by reason and reports them at most once a second, never per message. */
export interface RejectionReport {
  /** The `onReject` callback of a subscription. */
  count(rejection: Rejection): void;
  /** Reports what was counted since the last report (at the end, for instance). */
  flush(): void;
  /** Every refusal so far, by reason: `bad-signature 3, malformed 1`, or `none`. */
  summary(): string;
  stop(): void;
}

/**
 * A once-a-second report of refusals, so a flood of forged messages costs one log line a second
 * rather than one per message; the first refusal of each reason is said at once, with its
 * detail, so the reason of a refusal is never lost behind a count.
 */
export function createRejectionReport(logger: Logger): RejectionReport {
  const rejected = new Map<RejectReason, number>();
  let total = 0;
  let reported = 0;
  const flush = () => {
    if (total === reported) return;
    reported = total;
    const reasons = [...rejected].map(([reason, count]) => `${reason} ${count}`).join(", ");
    logger.warn(`rejected ${total} message(s): ${reasons}`);
  };
  const timer = setInterval(flush, 1000);
  timer.unref();
  return {
    count({ reason, detail, topic }) {
      total++;
      const seen = rejected.get(reason);
      rejected.set(reason, (seen ?? 0) + 1);
      if (seen === undefined) {
        // Said at once; the interval's count then includes it, so reports stay exact.
        logger.warn(`refused a message on ${printable(topic, 200)}: ${reason}: ${printable(detail, 300)}`);
      }
    },
    flush,
    summary: () => [...rejected].map(([reason, count]) => `${reason} ${count}`).join(", ") || "none",
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}

/** A sender's text made safe for one log line: control characters shown as `?`, cut to `max`. */
function printable(text: string, max: number): string {
  return text.slice(0, max).replace(/\p{Cc}/gu, "?");
}
