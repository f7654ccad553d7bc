import type { Logger, Policy, SchemaRegistry, SigningKey, Transport, TrustStore } from "@herald/sdk";
import { type AdmissionStats, defaultMaxMessageBytes, HeraldError, silentLogger } from "@herald/sdk";
import type { DuplicateFilterOptions } from "@herald/sdk/internal";
import {
  type AdmissionResult,
  type CheckedFrame,
  createAdmission,
  createOrderedPipeline,
  createRejectionReport,
} from "@herald/sdk/internal";
import {
  createSpool,
  flushSpool,
  parseFetchRequest,
  type RelayErrorCode,
  type RelayReply,
  translateZeroMqError,
} from "@herald/transport-zeromq";
import { Router } from "zeromq";
import { type HttpInbound, type HttpInboundOptions, startHttpInbound } from "./http-inbound.js";
import { openRelayJournal } from "./relay-journal.js";

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
   * The relay's journal (see {@link openRelayJournal}): every accepted message is fsync'd here
   * before it is acknowledged, numbered under a sender id that survives restarts, so subscribers
   * fetch what a restart hid from them; its ids make a message posted again a repeat. Without it,
   * ids live in memory and a restart starts a new sender.
   */
  journalFile?: string;
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
  /**
   * Whether the relay can keep its promise now: false (with why) while its journal cannot be
   * written (a full disk), when every message is refused rather than acknowledged.
   */
  health(): { ok: boolean; detail?: string };
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
  const journal = options.journalFile === undefined ? undefined : openJournal(options.journalFile, logger);
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

  // Heartbeats name every topic the journal holds, so the end of a burst a restart or a stopped
  // subscriber hid is still announced, for as long as it can be fetched.
  if (journal !== undefined) options.outbound.announceHeld?.(() => journal.held());

  // What was admitted and is being written: a repeat of one of these is answered when it is durable.
  const pending = new Map<string, Promise<RelayReply>>();
  /** Admits one envelope (in arrival order) and starts its journaling and republishing. */
  /** Starts journaling and republishing an admitted message; resolves with its acknowledgement. */
  const start = (topic: string, body: Buffer, result: AdmissionResult): Promise<RelayReply> => {
    if (result.status === "rejected")
      return Promise.resolve({ ok: false, reason: result.rejection.reason, detail: result.rejection.detail });
    if (result.status === "duplicate") {
      const first = pending.get(result.id);
      const repeat: RelayReply = { ok: true, id: result.id, duplicate: true };
      return first === undefined ? Promise.resolve(repeat) : first.then((reply) => (reply.ok ? repeat : reply));
    }
    // Heartbeats come from PUB sockets, never from a publisher's request.
    if (result.status === "heartbeat")
      return Promise.resolve({ ok: false, reason: "bad-request", detail: "a heartbeat is not a message" });
    const id = result.message.envelope.id;
    const written = journal?.append(topic, id, body);
    const finish = (async (): Promise<RelayReply> => {
      try {
        await written?.durable;
        await options.outbound.send(topic, body, id, written?.stamp);
      } catch (cause) {
        // Not republished, so not seen: the publisher's retry must be sent, not called a repeat.
        admission.forget(id);
        return { ok: false, reason: "bad-request", detail: `could not republish: ${(cause as Error).message}` };
      } finally {
        pending.delete(id);
      }
      return { ok: true, id };
    })();
    pending.set(id, finish);
    return finish;
  };
  const handle = async (topic: string, body: Buffer): Promise<RelayReply> =>
    start(topic, body, await admission.admit({ topic, body }));

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
    await journal?.close();
    throw error;
  }

  // A socket takes one send at a time: acknowledgements that finish together are sent in turn.
  let replying: Promise<void> = Promise.resolve();
  const reply = (identity: Buffer, frames: Array<Buffer | string>) => {
    replying = replying.then(() =>
      router.send([identity, ...frames]).catch((cause: unknown) => {
        logger.warn(`could not acknowledge a message: ${(cause as Error).message}`);
      }),
    );
    return replying;
  };
  /** A subscriber asks for the messages it missed: `[request id, "", {sender, topic, first, last}]`. */
  const answerFetch = (body: Buffer | undefined): Array<Buffer | string> => {
    const request = body === undefined ? undefined : parseFetchRequest(body);
    if (request === undefined)
      return [JSON.stringify({ ok: false, reason: "bad-request", detail: "expected {sender, topic, first, last}" })];
    if (journal === undefined || request.sender !== journal.sender)
      return [
        JSON.stringify({
          ok: false,
          reason: "unknown-sender",
          detail: `this relay does not number as ${request.sender}`,
        }),
      ];
    const range = journal.range(request.topic, request.first, request.last, maxFetch);
    return [
      JSON.stringify({
        ok: true,
        heldFrom: range.heldFrom,
        latest: range.latest,
        sequences: range.messages.map((message) => message.sequence),
      }),
      ...range.messages.map((message) => message.body),
    ];
  };

  // Signatures are checked in parallel (on the verification workers) and decided in arrival
  // order; journaling and republishing overlap, so one fsync covers every message that arrived
  // while the previous one ran. At most `maxInFlight` messages wait for the disk.
  let inFlight = 0;
  const idle: Array<() => void> = [];
  const pipeline = createOrderedPipeline<{ identity: Buffer; requestId: Buffer; checked: CheckedFrame }>(
    verifyWindow,
    ({ identity, requestId, checked }) => {
      const frame = checked.frame;
      const finished = start(frame.topic, frame.body, admission.decide(checked));
      inFlight++;
      void finished.then((answer) => {
        inFlight--;
        idle.shift()?.();
        return reply(identity, [requestId, JSON.stringify(answer)]);
      });
      return inFlight < maxInFlight ? undefined : new Promise<void>((resolve) => idle.push(resolve));
    },
  );
  const loop = (async () => {
    try {
      for await (const frames of router) {
        const [identity, requestId, topic, body] = frames;
        if (identity === undefined || requestId === undefined) continue;
        if (topic !== undefined && topic.length === 0) {
          await reply(identity, [requestId, ...answerFetch(body)]);
          continue;
        }
        if (topic === undefined || body === undefined) {
          const answer = { ok: false, reason: "bad-request", detail: "expected frames [request id, topic, envelope]" };
          await reply(identity, [requestId, JSON.stringify(answer)]);
          continue;
        }
        const checked = admission.check({ topic: topic.toString("utf8"), body });
        const item =
          checked instanceof Promise
            ? checked.then((done) => ({ identity, requestId, checked: done }))
            : { identity, requestId, checked };
        const room = pipeline.push(item);
        if (room !== undefined) await room;
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
    health: () =>
      journal?.failing === undefined ? { ok: true } : { ok: false, detail: `journal: ${journal.failing}` },
    handle,
    async close() {
      clearInterval(spoolTimer);
      await flushing;
      await http?.close();
      router.close();
      await loop;
      await pipeline.drained();
      await Promise.all(pending.values());
      await options.outbound.close();
      await journal?.close();
      rejections.stop();
    },
  };
}

/** Messages journaled but not yet acknowledged before the inbound stops reading. */
const maxInFlight = 4096;
/** Messages whose signatures are checked at once. */
const verifyWindow = 256;
/** Messages answered per fetch request: the subscriber asks again for the rest. */
const maxFetch = 1000;

function openJournal(file: string, logger: Logger) {
  try {
    return openRelayJournal({ file, logger });
  } catch (cause) {
    if (cause instanceof HeraldError) throw cause;
    throw new HeraldError(
      "E_CONFIG",
      `cannot open the relay journal ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      {
        cause,
      },
    );
  }
}
