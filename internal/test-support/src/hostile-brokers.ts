import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import rhea, { type Connection, type EventContext, type Sender } from "rhea";
import { freePort } from "./ports.js";

/**
 * A broker that speaks its protocol just far enough to be connected to and read from, then sends
 * what a broken or hostile one might, until told to stop; then one good message on request.
 */
export interface HostileBroker {
  /** The URL a bridge connects to. */
  url: string;
  /** How many connections the bridge made (each drop it survived makes one more). */
  connections(): number;
  /** Stops the storm. */
  calm(): void;
  /** Sends a good JSON message on the latest connection; false while there is none. */
  sendGood(data: object, id: string): boolean;
  stop(): Promise<void>;
}

const stompFrame = (command: string, headers: Record<string, string>, body: string | Buffer = "") =>
  Buffer.concat([
    Buffer.from(
      `${command}\n${Object.entries(headers)
        .map(([name, value]) => `${name}:${value}\n`)
        .join("")}\n`,
    ),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
    Buffer.from([0]),
  ]);

function hostileStompFrame(n: number, subscription: string): Buffer {
  const headers = { subscription, "message-id": `m-${n}`, ack: `a-${n}`, destination: "/queue/hostile.q" };
  switch (n % 12) {
    case 0:
      return randomBytes(1 + (n % 3000));
    case 1:
      // Five MiB without content-length: read to its NUL.
      return stompFrame("MESSAGE", headers, Buffer.alloc(5 * 1024 * 1024, 0x78));
    case 2:
      return stompFrame("MESSAGE", { ...headers, "content-length": "20000000" }, Buffer.alloc(20_000_000, 0x20));
    case 3:
      return stompFrame("MESSAGE", headers, `{"a":${"[".repeat(50_000)}${"]".repeat(50_000)}}`);
    case 4:
      return stompFrame("MESSAGE", { ...headers, destination: "\u0000/queue/..//" }, '{"x":1}');
    case 5:
      return stompFrame("MESSAGE", { subscription }, '{"no":"message-id, no ack"}');
    case 6:
      return stompFrame("MESSAGE", { ...headers, "content-type": "application/json;charset=klingon" }, '{"x":1}');
    case 7:
      return stompFrame("ERROR", { message: "x".repeat(10_000) }, "something broke");
    case 8:
      return stompFrame("MESSAGE", { ...headers, timestamp: "-9e999" }, '{"__proto__":{"polluted":true}}');
    case 9:
      return stompFrame("RECEIPT", { "receipt-id": "nobody-asked" });
    case 10:
      return stompFrame("MESSAGE", headers, Buffer.from([0xff, 0xfe, 0x7b, 0x7d]));
    default:
      return stompFrame("MESSAGE", headers, JSON.stringify({ n, fine: true }));
  }
}

/** Frames after which nothing can be read on the connection: sent now and then. */
const breakingStompFrames = [
  () => Buffer.from(`MESSAGE\n${"x-header:value\n".repeat(10_000)}`),
  () => stompFrame("MESSAGE", { "content-length": "2" }, "abc"),
];

/**
 * A STOMP "broker" on loopback: answers CONNECT, and once subscribed sends garbage, frames far
 * larger than any message, endless headers, bodies longer than their content-length, bodies that
 * are not JSON or nest deeply, missing and hostile headers — as fast as the bridge reads them.
 */
export async function startHostileStompBroker(): Promise<HostileBroker> {
  const port = await freePort();
  let connections = 0;
  let storming = true;
  const sockets = new Set<Socket>();
  let latest: { socket: Socket; subscription: string } | undefined;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let text = "";
    let connected = false;
    socket.on("data", async (chunk) => {
      // Once subscribed, what the bridge sends (its ACKs and NACKs) is not kept.
      if (latest?.socket === socket) return;
      text += chunk.toString("latin1");
      if (!connected && /^(CONNECT|STOMP)\n/m.test(text) && text.includes("\0")) {
        connected = true;
        socket.write("CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0");
      }
      const subscribe = /SUBSCRIBE\n(?:[^\n]*\n)*?id:([^\n]*)\n/.exec(text);
      if (subscribe === null) return;
      const subscription = subscribe[1] ?? "";
      latest = { socket, subscription };
      // Each connection ends in one of the breaking frames, taken in turn.
      const breaking = breakingStompFrames[connections % breakingStompFrames.length] as () => Buffer;
      for (let n = 0; storming && !socket.destroyed; n++) {
        const bytes = n % 40 === 39 ? breaking() : hostileStompFrame(n, subscription);
        // Written as the socket drains: the test holds no more than it sends.
        if (!socket.write(bytes)) await new Promise((resolve) => socket.once("drain", resolve));
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `stomp://127.0.0.1:${port}`,
    connections: () => connections,
    calm() {
      storming = false;
    },
    sendGood(data, id) {
      if (latest === undefined || latest.socket.destroyed) return false;
      const { socket, subscription } = latest;
      socket.write(
        stompFrame(
          "MESSAGE",
          { subscription, "message-id": id, ack: id, destination: "/queue/hostile.q" },
          JSON.stringify(data),
        ),
      );
      return true;
    },
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Nested `depth` deep: `{a: {a: … }}`. */
function nested(depth: number): object {
  let value: object = {};
  for (let n = 0; n < depth; n++) value = { a: value };
  return value;
}

/** AMQP 1.0 messages a broken or hostile broker might send: bodies of every AMQP type, odd properties. */
function hostileAmqp10Message(n: number): rhea.Message {
  const base = { message_id: `m-${n}`, subject: "hostile.q" };
  switch (n % 15) {
    case 0:
      return { ...base, body: rhea.message.data_section(randomBytes(1 + (n % 3000))) };
    case 1:
      return { ...base, body: rhea.message.data_section(Buffer.alloc(3 * 1024 * 1024, 0x78)) };
    case 2:
      return { ...base, body: nested(200) };
    case 3:
      return { ...base, body: rhea.message.sequence_section([1, 2, 3]) };
    case 4:
      return { ...base, body: "not json at all" };
    case 5:
      return { ...base, body: [1, { two: 2 }, null] };
    case 6:
      return {
        ...base,
        subject: "s".repeat(100_000),
        application_properties: { "x-many": "v".repeat(100_000) },
        body: { x: 1 },
      };
    case 7:
      return { ...base, message_id: randomBytes(16), body: rhea.message.data_section(Buffer.from('{"x":1}')) };
    case 8:
      return { ...base, creation_time: new Date(Number.NaN), body: { x: 1 } };
    case 9:
      return { ...base, content_encoding: "klingon", body: rhea.message.data_section(Buffer.from('{"x":1}')) };
    case 10:
      return { ...base, body: null };
    case 11:
      return { ...base, subject: "\u0000..//#", body: { x: 1 } };
    case 12:
      return { ...base, body: rhea.message.data_section(Buffer.from('{"a":1,"a":2}')) };
    case 13:
      // Larger than the bridge reads before it drops the connection (once per connection).
      return n === 13
        ? { ...base, body: rhea.message.data_section(Buffer.alloc(20 * 1024 * 1024, 0x20)) }
        : { ...base, body: { x: 1 } };
    default:
      return { ...base, body: rhea.message.data_section(Buffer.from(JSON.stringify({ n, fine: true }))) };
  }
}

/**
 * An AMQP 1.0 "broker" on loopback, built on rhea's own server side: it accepts the bridge's
 * connection (SASL ANONYMOUS) and link, and sends messages with bodies of every AMQP type, too
 * large, too deep, with duplicate keys and odd properties, as fast as the bridge gives credit.
 * On every other connection the tenth message is raw garbage instead; on the others a message of
 * 20 MiB comes. Either costs the bridge its connection.
 */
export async function startHostileAmqp10Broker(): Promise<HostileBroker> {
  const port = await freePort();
  const container = rhea.create_container({ id: "hostile-broker" });
  let connections = 0;
  let links = 0;
  let storming = true;
  let latest: Sender | undefined;
  const open = new Set<Connection>();
  container.on("connection_open", (event: EventContext) => {
    connections++;
    open.add(event.connection);
  });
  container.on("disconnected", (event: EventContext) => {
    open.delete(event.connection);
  });
  container.on("error", () => {});
  container.on("connection_error", () => {});
  container.on("sender_open", (event: EventContext) => {
    latest = event.sender;
    let n = 0;
    // Every other link ends in garbage after nine messages; the others go on to the 20 MiB one. (By
    // links, not connections: a client may open a connection it never attaches a link on.)
    links++;
    const garbage = links % 2 === 1;
    let spent = false;
    const pump = (sender: Sender) => {
      // Once the garbage is on its way this link sends nothing more: were the 20 MiB message to
      // go out before it, the bridge would drop the connection for that instead.
      while (storming && !spent && sender.sendable()) {
        n++;
        if (garbage && n % 10 === 0) {
          // After what rhea has queued has gone out: garbage where the next frame should be.
          spent = true;
          const socket = (sender.connection as unknown as { socket?: Socket }).socket;
          // Not once the storm is over: the good message after it must find the connection whole.
          setTimeout(() => {
            if (storming) socket?.write(randomBytes(64));
          }, 50);
          return;
        }
        sender.send(hostileAmqp10Message(n));
      }
    };
    event.sender?.on("sendable", (context: EventContext) => {
      if (context.sender !== undefined) pump(context.sender);
    });
  });
  const server = container.listen({ port, host: "127.0.0.1" }) as unknown as Server;
  await new Promise<void>((resolve) => {
    if (server.listening) resolve();
    else server.once("listening", () => resolve());
  });
  return {
    url: `amqp://127.0.0.1:${port}`,
    connections: () => connections,
    calm() {
      storming = false;
    },
    sendGood(data, id) {
      if (latest === undefined || !latest.is_open() || !latest.sendable()) return false;
      latest.send({
        message_id: id,
        subject: "hostile.q",
        body: rhea.message.data_section(Buffer.from(JSON.stringify(data))),
      });
      return true;
    },
    stop: () =>
      new Promise((resolve) => {
        for (const connection of open) connection.close();
        server.close(() => resolve());
      }),
  };
}
