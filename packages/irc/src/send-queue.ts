/** Options of {@link createSendQueue}. */
export interface SendQueueOptions {
  /** Lines per second once the burst is spent. */
  perSecond: number;
  /** Lines that may go at once after a quiet spell. */
  burst: number;
  /** Lines that may wait; beyond it the oldest are dropped (and counted). */
  maxWaiting: number;
  send(target: string, line: string): void;
}

/** A flood-safe outgoing line queue. */
export interface SendQueue {
  push(target: string, line: string): void;
  readonly sent: number;
  readonly dropped: number;
  readonly waiting: number;
  /** Holds lines (while disconnected) or lets them go again. */
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * A token bucket in front of the IRC connection: servers kick a client that sends too fast
 * ("Excess Flood"), so lines go out at most `burst` at once and then `perSecond`. When more wait
 * than `maxWaiting`, the oldest are dropped: on a chat channel, late news is worth less than news.
 */
export function createSendQueue(options: SendQueueOptions): SendQueue {
  const lines: [target: string, line: string][] = [];
  let tokens = options.burst;
  let last = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let paused = false;
  let sent = 0;
  let dropped = 0;

  const refill = () => {
    const now = Date.now();
    tokens = Math.min(options.burst, tokens + ((now - last) / 1000) * options.perSecond);
    last = now;
  };
  const flush = () => {
    timer = undefined;
    if (paused) return;
    refill();
    while (lines.length > 0 && tokens >= 1) {
      const [target, line] = lines.shift() as [string, string];
      tokens--;
      sent++;
      options.send(target, line);
    }
    if (lines.length > 0) timer = setTimeout(flush, Math.ceil(((1 - tokens) / options.perSecond) * 1000));
  };

  return {
    push(target, line) {
      lines.push([target, line]);
      while (lines.length > options.maxWaiting) {
        lines.shift();
        dropped++;
      }
      if (timer === undefined) flush();
    },
    get sent() {
      return sent;
    },
    get dropped() {
      return dropped;
    },
    get waiting() {
      return lines.length;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      if (timer === undefined) flush();
    },
    close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      paused = true;
    },
  };
}
