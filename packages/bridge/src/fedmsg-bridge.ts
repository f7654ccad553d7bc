import {
  compileTopicPattern,
  compileTopicPatterns,
  defaultMaxMessageBytes,
  envelopeFromFedmsg,
  fedmsgFromEnvelope,
  HeraldError,
  readBoundedJson,
  type TransportSubscription,
} from "@herald/sdk";
import { countSubscribers } from "@herald/transport-zeromq";
import { Subscriber, XPublisher } from "zeromq";
import {
  type BridgeContext,
  type BridgeDirection,
  bridgeSource,
  createBridgeDirection,
  type RunningBridge,
} from "./bridge-direction.js";
import { loadFedmsgSigner } from "./fedmsg-x509.js";

/**
 * `kind = "fedmsg"`: a fedmsg bus (ZeroMQ, two frames: the topic and the fedmsg JSON). In: the
 * bridge connects to the fedmsg endpoints (`connect`), converts each message (PROTOCOL.md §6),
 * signs it with its own key and puts it on the bus. Out: it binds `bind` and publishes every
 * verified Herald message there in fedmsg's format, for fedmsg consumers to connect to.
 */
export async function startFedmsgBridge(context: BridgeContext): Promise<RunningBridge> {
  const { bridge, herald } = context;
  const topics = bridge.topics ?? ["#"];
  const direction = bridge.direction ?? "both";
  const closers: (() => Promise<void> | void)[] = [];
  const directions: BridgeDirection[] = [];
  try {
    if (direction !== "out") {
      if (!bridge.connect?.length)
        throw new HeraldError("E_CONFIG", `bridge ${bridge.name}: fedmsg in needs connect (the fedmsg endpoints)`);
      const toBus = createBridgeDirection(context, "in");
      directions.push(toBus);
      closers.push(receiveFedmsg(context, bridge.connect, topics, toBus));
    }
    if (direction !== "in") {
      if (!bridge.bind?.length)
        throw new HeraldError(
          "E_CONFIG",
          `bridge ${bridge.name}: fedmsg out needs bind (where fedmsg consumers connect)`,
        );
      // An XPUB: it publishes as a PUB does and counts the fedmsg consumers' subscriptions.
      const publisher = new XPublisher({ linger: 2000, verbosity: "allSubsUnsubs" });
      closers.push(() => publisher.close());
      for (const address of bridge.bind) await publisher.bind(address);
      const consumers = countSubscribers(publisher);
      const fromBus = createBridgeDirection(context, "out");
      fromBus.source.subscribers = () => consumers.subscriptions;
      directions.push(fromBus);
      if ((bridge.x509_key === undefined) !== (bridge.x509_cert === undefined))
        throw new HeraldError("E_CONFIG", `bridge ${bridge.name}: x509_key and x509_cert go together`);
      // Read once: fedmsg consumers that validate signatures (their default) accept what it signs.
      const signer =
        bridge.x509_key === undefined || bridge.x509_cert === undefined
          ? undefined
          : loadFedmsgSigner(bridge.x509_key, bridge.x509_cert);
      let counter = 0;
      const forward = fromBus.verified(async ({ topic, envelope }) => {
        const message = fedmsgFromEnvelope(envelope, ++counter);
        await publisher.send([topic, JSON.stringify(signer === undefined ? message : signer.sign(message))]);
      });
      const subscription: TransportSubscription = await herald.subscribe(bridge.name, topics, forward);
      closers.unshift(() => subscription.close());
    }
  } catch (error) {
    for (const close of closers) await close();
    throw error instanceof HeraldError
      ? error
      : new HeraldError("E_TRANSPORT", `bridge ${bridge.name}: ${(error as Error).message}`);
  }
  return {
    sources: directions.map((one) => one.source),
    healthy: () => true,
    async close() {
      for (const close of closers) await close();
      for (const one of directions) one.close();
    },
  };
}

/** Reads fedmsg's two frames, converts, signs and forwards; returns how to stop. */
function receiveFedmsg(
  context: BridgeContext,
  connect: readonly string[],
  topics: readonly string[],
  toBus: BridgeDirection,
): () => Promise<void> {
  // fedmsg messages are small JSON: a peer that sends a huge frame is disconnected before it is held.
  const socket = new Subscriber({ linger: 0, maxMessageSize: defaultMaxMessageBytes });
  for (const address of connect) socket.connect(address);
  for (const prefix of new Set(topics.map((pattern) => compileTopicPattern(pattern).literalPrefix)))
    socket.subscribe(prefix);
  const matches = compileTopicPatterns(topics);
  const source = bridgeSource(context.bridge);
  let closing = false;
  const loop = (async () => {
    while (!closing) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (cause) {
        if (!closing)
          context.logger.error(`${context.bridge.name}: fedmsg subscription stopped: ${(cause as Error).message}`);
        return;
      }
      toBus.received();
      const [topicFrame, jsonFrame] = frames;
      let envelope: ReturnType<typeof envelopeFromFedmsg>;
      try {
        if (jsonFrame === undefined) throw new HeraldError("E_ENVELOPE", "a fedmsg message needs two frames");
        // An integer beyond ±(2^53−1) (Python has no limit) travels on as a string of its digits.
        const reading = readBoundedJson(jsonFrame, { unsafeIntegers: "string" });
        if (!reading.ok) throw new HeraldError("E_ENVELOPE", `${reading.reason}: ${reading.detail}`);
        envelope = envelopeFromFedmsg(reading.value, source);
        if (envelope.type !== topicFrame?.toString("utf8"))
          throw new HeraldError(
            "E_ENVELOPE",
            `frame topic ${topicFrame?.toString("utf8")} is not the message's ${envelope.type}`,
          );
      } catch (cause) {
        toBus.refuse("unconvertible", `fedmsg message refused: ${(cause as Error).message}`);
        continue;
      }
      if (!matches(envelope.type)) continue;
      try {
        await toBus.convertedToBus(envelope);
      } catch (cause) {
        // fedmsg has no acknowledgement to withhold: say it and count it.
        toBus.refuse("undelivered", `fedmsg message ${envelope.fedmsgid} not delivered: ${(cause as Error).message}`);
      }
    }
  })();
  return async () => {
    closing = true;
    socket.close();
    await loop;
  };
}
