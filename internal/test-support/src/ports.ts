import { createServer } from "node:net";

// Ports are drawn below Linux's ephemeral range (32768-60999): a port the OS would hand out is
// also the source port of any outgoing connection, so a "free" one there can be taken by a
// client socket (ZeroMQ, fetch) of a test running in parallel before the test binds it.
const lowest = 20_000;
const span = 12_000;

function tryPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = lowest + Math.floor(Math.random() * span);
    if (await tryPort(port)) return port;
  }
  throw new Error("no free port found");
}

/** A ZeroMQ TCP address on loopback with a port that was free a moment ago. */
export async function tcpAddress(): Promise<string> {
  return `tcp://127.0.0.1:${await freePort()}`;
}
