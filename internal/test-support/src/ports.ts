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

/**
 * Runs `bind` until it no longer fails for an address in use, and returns what it gave: libzmq
 * releases a closed socket's port in the background, so what binds it again (a restart) may
 * find it taken for a moment. Any other failure is thrown.
 */
export async function untilBound<T>(bind: () => Promise<T>, what = "the port free to bind"): Promise<T> {
  for (const deadline = Date.now() + 30_000; ; ) {
    try {
      return await bind();
    } catch (error) {
      if (!/in use/i.test((error as Error).message)) throw error;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
