import { randomBytes } from "node:crypto";
import { appendFileSync, readFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { createCleanup, freePort, type RunningProcess, startHerald, startTestBus, until } from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

// A STOMP "broker" that speaks the protocol just far enough to be connected to and subscribed at,
// then sends what a broken or hostile one might: garbage, frames far larger than any message,
// endless headers, bodies longer than their content-length, bodies that are not JSON or nest
// deeply, missing and hostile headers. The bridge must stay up, in bounded memory, reconnect when
// it drops the connection, and still carry a good message afterwards.
const seconds = Number(process.env.HERALD_FUZZ_SECONDS ?? 15);
const maxRssBytes = 400 * 1024 * 1024;

const cleanup = createCleanup();
afterAll(() => cleanup.run());

const frame = (command: string, headers: Record<string, string>, body: string | Buffer = "") =>
  Buffer.concat([
    Buffer.from(
      `${command}\n${Object.entries(headers)
        .map(([name, value]) => `${name}:${value}\n`)
        .join("")}\n`,
    ),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
    Buffer.from([0]),
  ]);

function hostileFrame(n: number, subscription: string): Buffer {
  const headers = { subscription, "message-id": `m-${n}`, ack: `a-${n}`, destination: "/queue/hostile.q" };
  switch (n % 12) {
    case 0:
      return randomBytes(1 + (n % 3000));
    case 1:
      // Five MiB without content-length: read to its NUL, refused as one message.
      return frame("MESSAGE", headers, Buffer.alloc(5 * 1024 * 1024, 0x78));
    case 2:
      return frame("MESSAGE", { ...headers, "content-length": "20000000" }, Buffer.alloc(20_000_000, 0x20));
    case 3:
      return frame("MESSAGE", headers, `{"a":${"[".repeat(50_000)}${"]".repeat(50_000)}}`);
    case 4:
      return frame("MESSAGE", { ...headers, destination: "\u0000/queue/..//" }, '{"x":1}');
    case 5:
      return frame("MESSAGE", { subscription }, '{"no":"message-id, no ack"}');
    case 6:
      return frame("MESSAGE", { ...headers, "content-type": "application/json;charset=klingon" }, '{"x":1}');
    case 7:
      return frame("ERROR", { message: "x".repeat(10_000) }, "something broke");
    case 8:
      return frame("MESSAGE", { ...headers, timestamp: "-9e999" }, '{"__proto__":{"polluted":true}}');
    case 9:
      return frame("RECEIPT", { "receipt-id": "nobody-asked" });
    case 10:
      return frame("MESSAGE", headers, Buffer.from([0xff, 0xfe, 0x7b, 0x7d]));
    default:
      return frame("MESSAGE", headers, JSON.stringify({ n, fine: true }));
  }
}

/** Frames that drop the connection (the bridge cannot read on after them): sent now and then. */
const breaking = [
  () => Buffer.from(`MESSAGE\n${"x-header:value\n".repeat(10_000)}`),
  () => Buffer.concat([frame("MESSAGE", { "content-length": "2" }, "abc")]),
];

describe("herald bridge: a hostile STOMP broker", () => {
  it(`keeps the bridge alive, bounded and reading (${seconds} s)`, async () => {
    const bus = await startTestBus({ keyid: "stomp.fuzz01", topics: ["org.example.#"] });
    cleanup.add(() => bus.relay?.stop());
    const port = await freePort();
    const bridgePort = await freePort();
    let connections = 0;
    let storming = true;
    const sockets = new Set<Socket>();
    let latest: { socket: Socket; subscription: string } | undefined;
    const server = createServer((socket) => {
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
        for (let n = 0; storming && !socket.destroyed; n++) {
          const bytes =
            n % 40 === 39 ? (breaking[n % breaking.length] as () => Buffer)() : hostileFrame(n, subscription);
          // Written as the socket drains: a broker cannot be made to hold more than it sends.
          if (!socket.write(bytes)) await new Promise((resolve) => socket.once("drain", resolve));
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    cleanup.add(
      () =>
        new Promise((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(resolve);
        }),
    );
    appendFileSync(
      bus.config,
      [
        "[bridge]",
        `http_port = ${bridgePort}`,
        "[[bridges]]",
        'name = "hostile"',
        'kind = "stomp"',
        `url = "stomp://127.0.0.1:${port}"`,
        'addresses = ["hostile.q"]',
        "[[bridges.rules]]",
        'match = "#"',
        'topic = "org.example.prod.hostile.{key}"',
        "",
      ].join("\n"),
    );
    const bridge: RunningProcess = startHerald(["bridge", "--config", bus.config]);
    cleanup.add(() => bridge.stop("SIGKILL"));
    await bridge.waitFor(/ready: hostile \(stomp, in\)/, 20_000);
    const tail = startHerald(["tail", "--config", bus.config, "--json"]);
    cleanup.add(() => tail.stop());

    const rss = () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${bridge.child.pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
    let peak = 0;
    for (const end = Date.now() + seconds * 1000; Date.now() < end; ) {
      peak = Math.max(peak, rss());
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    storming = false;
    console.log(
      `hostile STOMP broker: ${connections} connection(s) in ${seconds} s; bridge peak RSS ${Math.round(peak / 2 ** 20)} MB`,
    );
    expect([bridge.child.exitCode, bridge.child.signalCode]).toEqual([null, null]);
    expect(peak).toBeLessThan(maxRssBytes);
    // It dropped the connections it could not read on, and came back each time.
    expect(connections).toBeGreaterThan(1);
    // Said in lines, not stack traces.
    expect(bridge.output().stderr).not.toMatch(/\n\s+at /);
    expect(bridge.output().stderr).toMatch(/hostile: message [^\n]* rejected: /);
    const metrics = await (await fetch(`http://127.0.0.1:${bridgePort}/metrics`)).text();
    expect(metrics).toMatch(/herald_messages_rejected_total\{[^}]*reason="unconvertible"[^}]*\} [1-9]/);

    // The storm is over: a good message on the latest connection still goes all the way through.
    await until(() => latest !== undefined && !latest.socket.destroyed, "a connection to send on", 40_000);
    const { socket, subscription } = latest as { socket: Socket; subscription: string };
    socket.write(
      frame(
        "MESSAGE",
        { subscription, "message-id": "after-1", ack: "after-1", destination: "/queue/hostile.q" },
        JSON.stringify({ text: "after the storm" }),
      ),
    );
    await until(() => tail.output().stdout.includes("after the storm"), "the good message on the bus", 20_000);
    const health = await fetch(`http://127.0.0.1:${bridgePort}/healthz`);
    expect(health.status).toBe(200);
  }, 120_000);
});
