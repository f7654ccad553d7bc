import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

/**
 * The largest AMQP 1.0 frame the bridge accepts, and announces in its `open` (a broker must not
 * send larger ones; RabbitMQ and Artemis split messages into frames of the size the client asks).
 */
export const maxFrameBytes = 64 * 1024;

/**
 * The largest message, over all its transfer frames, read before the connection is dropped.
 * Above the 1 MiB a Herald message may have, so a message that is merely too large is still read
 * whole and rejected with its reason (not redelivered forever); beyond this only a broken or
 * hostile broker sends, and it costs the bridge a reconnection rather than its memory.
 */
export const maxMessageBytes = 16 * 1024 * 1024;

/** The 4 bytes that start an AMQP protocol header ("AMQP", then the protocol id and version). */
const protocolHeader = Buffer.from("AMQP");

/**
 * Checks a broker's byte stream frame by frame (AMQP 1.0 §2.3: a 4-byte size, then the frame;
 * "AMQP" plus 4 bytes where a protocol header is sent instead), without holding it: a size
 * below 8 or above `maxFrame` throws, before rhea buffers a frame of any claimed size (up to 4 GiB).
 */
export function createAmqpFrameCheck(maxFrame = maxFrameBytes): (chunk: Buffer) => void {
  /** Bytes of the current frame still to come; 0 at a frame boundary. */
  let remaining = 0;
  /** The first bytes of a frame (its size, or "AMQP"), when a chunk ended inside them. */
  let head = Buffer.alloc(0);
  return (chunk) => {
    let at = 0;
    while (at < chunk.length) {
      if (remaining > 0) {
        const skip = Math.min(remaining, chunk.length - at);
        remaining -= skip;
        at += skip;
        continue;
      }
      const need = 4 - head.length;
      head = Buffer.concat([head, chunk.subarray(at, at + need)]);
      at += Math.min(need, chunk.length - at);
      if (head.length < 4) return;
      const size = head.equals(protocolHeader) ? 8 : head.readUInt32BE(0);
      head = Buffer.alloc(0);
      if (size < 8 || size > maxFrame)
        throw new Error(`the broker sent a frame of ${size} bytes; this bridge accepts 8 to ${maxFrame}`);
      remaining = size - 4;
    }
  };
}

/** What rhea keeps of a message still arriving (it offers no hook for one). */
interface IncompleteDelivery {
  frames?: Buffer[];
}

/** The bytes a receiver holds of a message that is still arriving. */
export function bytesInProgress(receiver: object): number {
  // rhea collects a message's transfer frames in `_incomplete.frames` until the last one; it has
  // no public way to see them, and this is the one place that looks.
  const incomplete = (receiver as { _incomplete?: IncompleteDelivery })._incomplete;
  return incomplete?.frames?.reduce((sum, frame) => sum + (frame?.length ?? 0), 0) ?? 0;
}

/**
 * rhea's `connect` option: a TCP or TLS socket whose incoming bytes are checked by
 * {@link createAmqpFrameCheck} before rhea reads them, and by `afterRead` after (the message
 * size). A broker that breaks either limit loses the connection, with the reason as the error, and
 * `onViolation` hears the reason (to count it).
 */
export function checkedConnect(
  tls: boolean,
  afterRead: () => string | undefined,
  onViolation: (problem: string) => void,
): (port: number, host: string, options: object, callback: () => void) => Socket {
  return (port, host, options, callback) => {
    const socket: Socket = tls
      ? tlsConnect({ ...options, port, host }, callback)
      : netConnect({ ...options, port, host }, callback);
    const check = createAmqpFrameCheck();
    socket.prependListener("data", (chunk: Buffer) => {
      try {
        check(chunk);
      } catch (error) {
        onViolation((error as Error).message);
        socket.destroy(error as Error);
      }
    });
    // Added once rhea has added its own listener, so it runs after rhea read the chunk.
    queueMicrotask(() =>
      socket.on("data", () => {
        const problem = afterRead();
        if (problem === undefined || socket.destroyed) return;
        onViolation(problem);
        socket.destroy(new Error(problem));
      }),
    );
    return socket;
  };
}
