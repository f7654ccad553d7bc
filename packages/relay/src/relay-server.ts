import type { Logger, Policy, SchemaRegistry, SigningKey, Transport, TrustStore } from "@herald/sdk";
import { type AdmissionStats, HeraldError, silentLogger } from "@herald/sdk";
import type { DuplicateFilterOptions } from "@herald/sdk/internal";
import { createAdmission, createRejectionReport } from "@herald/sdk/internal";
import type { RelayReply } from "@herald/transport-zeromq";
import {
  createSpool,
  defaultMaxMessageBytes,
  flushSpool,
  type RelayErrorCode,
  translateZeroMqError,
} from "@herald/transport-zeromq";
import { Router } from "zeromq";
import { type HttpInbound, type HttpInboundOptions, startHttpInbound } from "./http-inbound.js";
import { openReplayJournal } from "./replay-journal.js";

/** Options of {@link startRelay}. */
export interface RelayOptions {
  /** ROUTER addresses the acknowledged inbound binds, e.g. `tcp://*:9940`. */
  inbound: readonly string[];
  /** Where accepted messages are republished, unchanged (a ZeroMQ transport bound on the outbound address). */
  outbound: Transport;
  /** Also accept HTTP POSTs (for PHP, shell scripts, webhooks). */
  http?: HttpInboundOptions;
  /** Inbound messages are checked against this; without it every signed message is refused as `unknown-key`. */
  trust?: TrustStore;
  /** What is accepted beyond `valid` (unsigned topics). */
  policy?: Policy;
  /**
   * The schemas data is checked against: a message whose data breaks the schema its `dataschema`
   * names is refused as `invalid-data` with the path and reason, before it reaches the bus.
   */
  schemas?: SchemaRegistry;
  duplicates?: DuplicateFilterOptions;
  logger?: Logger;
  /** A spool folder to deliver from every few seconds (messages hooks and the wiki queued while no relay ran). */
  spool?: string;
  /** Signs `{topic, data}` posts, from HTTP and from the spool; without it they travel unsigned. */
  signingKey?: SigningKey;
  /**
   * Where the ids of accepted messages are kept across restarts (see {@link openReplayJournal}):
   * a message posted again after a restart is a repeat, not news. Without it, ids live in memory.
   */
  replayFile?: string;
  /**
   * The largest frame the inbound accepts (default 1 MiB): a publisher that sends more is
   * disconnected by ZeroMQ before the frame is held in memory.
   */
  maxMessageBytes?: number;
}

/** A running relay. */
export interface Relay {
  /** The ROUTER addresses actually bound. */
  readonly endpoints: readonly string[];
  /** The HTTP inbound's port, when it runs. */
  readonly httpPort: number | undefined;
  readonly stats: AdmissionStats;
  /** Takes one envelope (from any inbound): checks it, republishes it, and says what happened. */
  handle(topic: string, body: Buffer): Promise<RelayReply>;
  /** Stops taking messages, flushes the outbound and closes it. */
  close(): Promise<void>;
}

/**
 * Starts a relay for short-lived publishers: each message is checked against the relay's trust
 * file and policy, republished byte for byte on the outbound, and only then acknowledged. A
 * refused message is answered with the reason. A repeated id is acknowledged again without being
 * republished, so a publisher that retries after a lost acknowledgement causes no duplicate.
 * @throws HeraldError `E_TRANSPORT` when an address cannot be bound.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const logger = options.logger ?? silentLogger;
  const rejections = createRejectionReport(logger);
  const journal = options.replayFile === undefined ? undefined : openJournal(options.replayFile);
  const admission = createAdmission({
    ...(journal === undefined ? {} : { duplicateFilter: journal }),
    ...(options.trust === undefined ? {} : { trust: options.trust }),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.duplicates === undefined ? {} : { duplicates: options.duplicates }),
    ...(options.schemas === undefined ? {} : { schemas: options.schemas }),
    // Messages enter the bus here: this relay's clock judges expiry and time, not the sender's.
    firstHop: journal === undefined ? true : { maxAgeMs: journal.windowMs },
    // The first refusal of each reason is logged at once, then counts once a second: a flood of
    // garbage costs a line a second, not a line a message.
    onReject: rejections.count,
  });

  const handle = async (topic: string, body: Buffer): Promise<RelayReply> => {
    const result = await admission.admit({ topic, body });
    if (result.status === "rejected") {
      return { ok: false, reason: result.rejection.reason, detail: result.rejection.detail };
    }
    if (result.status === "duplicate") return { ok: true, id: result.id, duplicate: true };
    try {
      await options.outbound.send(topic, body);
    } catch (cause) {
      // Not republished, so not seen: the publisher's retry must be sent, not called a repeat.
      admission.forget(result.message.envelope.id);
      throw cause;
    }
    return { ok: true, id: result.message.envelope.id };
  };

  const router = new Router({
    linger: 1000,
    maxMessageSize: options.maxMessageBytes ?? defaultMaxMessageBytes,
    // Frames wait here while one is being checked: few enough that waiting ones stay small.
    receiveHighWaterMark: 1000,
  });
  const endpoints: string[] = [];
  let http: HttpInbound | undefined;
  try {
    for (const address of options.inbound) {
      await router.bind(address).catch((cause) => {
        throw translateZeroMqError(cause, `cannot bind ${address}`);
      });
      endpoints.push(router.lastEndpoint ?? address);
    }
    if (options.http !== undefined) {
      const signing = options.signingKey === undefined ? {} : { signingKey: options.signingKey };
      http = await startHttpInbound({ ...signing, ...options.http }, handle);
    }
  } catch (error) {
    router.close();
    throw error;
  }

  const loop = (async () => {
    try {
      for await (const frames of router) {
        const [identity, requestId, topic, body] = frames;
        if (identity === undefined || requestId === undefined) continue;
        const reply: RelayReply =
          topic === undefined || body === undefined
            ? { ok: false, reason: "bad-request", detail: "expected frames [request id, topic, envelope]" }
            : await handle(topic.toString("utf8"), body).catch((cause: unknown) => ({
                ok: false as const,
                reason: "bad-request" as const,
                detail: `could not republish: ${(cause as Error).message}`,
              }));
        await router.send([identity, requestId, JSON.stringify(reply)]).catch((cause: unknown) => {
          logger.warn(`could not acknowledge a message: ${(cause as Error).message}`);
        });
      }
    } catch (cause) {
      if (!router.closed) logger.error(`the relay inbound stopped: ${(cause as Error).message}`);
    }
  })();

  const spool = options.spool === undefined ? undefined : createSpool(options.spool);
  let flushing: Promise<unknown> = Promise.resolve();
  const flush = () => {
    if (spool === undefined) return;
    flushing = flushing
      .then(() =>
        flushSpool(
          spool,
          async (topic, body) => {
            const reply = await handle(topic, body);
            if (!reply.ok) throw new HeraldError<RelayErrorCode>("E_RELAY_REFUSED", `${reply.reason}: ${reply.detail}`);
          },
          options.signingKey === undefined ? {} : { signingKey: options.signingKey },
        ),
      )
      .then((result) => {
        if (result.sent + result.refused > 0)
          logger.info(`spool ${spool.dir}: relayed ${result.sent}, refused ${result.refused}`);
      })
      .catch((cause: unknown) => logger.warn(`spool ${spool.dir}: ${(cause as Error).message}`));
  };
  // The first flush waits a moment: subscribers of a relay that just started are still
  // connecting, and a ZeroMQ PUB socket drops what it sends before they have.
  const spoolTimer = spool === undefined ? undefined : setInterval(flush, 2000);

  return {
    endpoints,
    httpPort: http?.port,
    stats: admission.stats,
    handle,
    async close() {
      clearInterval(spoolTimer);
      await flushing;
      await http?.close();
      router.close();
      await loop;
      await options.outbound.close();
      journal?.close();
      rejections.stop();
    },
  };
}

function openJournal(file: string) {
  try {
    return openReplayJournal({ file });
  } catch (cause) {
    throw new HeraldError(
      "E_CONFIG",
      `cannot open the replay file ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      {
        cause,
      },
    );
  }
}
