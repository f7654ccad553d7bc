import { appendFileSync, readFileSync } from "node:fs";
import {
  createCleanup,
  freePort,
  type HostileBroker,
  type RunningProcess,
  startHerald,
  startHostileAmqp10Broker,
  startHostileStompBroker,
  startTestBus,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

// A broker that is broken or hostile (see @herald/test-support's hostile-brokers.ts) sends garbage,
// frames and bodies far larger than any message, deep nesting, every body type and odd properties.
// The bridge must stay up, in bounded memory, refuse each bad message with a reason, reconnect
// when it has to drop the connection, and still carry a good message afterwards.
const seconds = Number(process.env.HERALD_FUZZ_SECONDS ?? 12);
const maxRssBytes = 400 * 1024 * 1024;

const cleanup = createCleanup();
afterAll(() => cleanup.run());

/** Each kind, its hostile broker, and the reasons it must give for dropping the connection. */
const kinds: { kind: string; start: () => Promise<HostileBroker>; drops: RegExp[] }[] = [
  {
    kind: "stomp",
    start: startHostileStompBroker,
    drops: [/headers exceed 65536 bytes/, /body is longer than its content-length/],
  },
  {
    kind: "amqp10",
    start: startHostileAmqp10Broker,
    drops: [/the broker sent a frame of \d+ bytes/, /a message larger than 16777216 bytes/],
  },
];

describe("herald bridge: a hostile broker", () => {
  it.each(kinds)(
    `keeps the $kind bridge alive, bounded and reading (${seconds} s)`,
    async ({ kind, start, drops }) => {
      const bus = await startTestBus({ keyid: "hostile.bridge01", topics: ["org.example.#"] });
      cleanup.add(() => bus.relay?.stop());
      const broker = await start();
      cleanup.add(() => broker.stop());
      const bridgePort = await freePort();
      appendFileSync(
        bus.config,
        [
          "[bridge]",
          `http_port = ${bridgePort}`,
          "[[bridges]]",
          'name = "hostile"',
          `kind = "${kind}"`,
          `url = "${broker.url}"`,
          'addresses = ["hostile.q"]',
          "[[bridges.rules]]",
          'match = "#"',
          'topic = "org.example.prod.hostile.{key}"',
          "",
        ].join("\n"),
      );
      const bridge: RunningProcess = startHerald(["bridge", "--config", bus.config]);
      cleanup.add(() => bridge.stop("SIGKILL"));
      await bridge.waitFor(new RegExp(`ready: hostile \\(${kind}, in\\)`), 20_000);
      const tail = await bus.joined(() => startHerald(["tail", "--config", bus.config, "--json"]));
      cleanup.add(() => tail.stop());

      const rss = () =>
        Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${bridge.child.pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
      let peak = 0;
      for (const end = Date.now() + seconds * 1000; Date.now() < end; ) {
        peak = Math.max(peak, rss());
        // A sampling rate through the storm, which lasts its time by design: not a wait for anything.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      broker.calm();
      console.log(
        `hostile ${kind} broker: ${broker.connections()} connection(s) in ${seconds} s; bridge peak RSS ${Math.round(peak / 2 ** 20)} MB`,
      );
      expect([bridge.child.exitCode, bridge.child.signalCode]).toEqual([null, null]);
      expect(peak).toBeLessThan(maxRssBytes);
      // It dropped the connections it could not read on, and came back each time.
      expect(broker.connections()).toBeGreaterThan(1);
      // Said in lines, not stack traces, none longer than the logger's bound.
      expect(bridge.output().stderr).not.toMatch(/\n\s+at /);
      const longest = Math.max(
        ...bridge
          .output()
          .stderr.split("\n")
          .map((line) => line.length),
      );
      expect(longest).toBeLessThan(2100);
      expect(bridge.output().stderr).toMatch(/hostile: message [^\n]* rejected: /);
      for (const reason of drops) expect(bridge.output().stderr).toMatch(reason);
      const metrics = await (await fetch(`http://127.0.0.1:${bridgePort}/metrics`)).text();
      expect(metrics).toMatch(/herald_messages_rejected_total\{[^}]*reason="unconvertible"[^}]*\} [1-9]/);
      // Each connection dropped for breaking a limit is counted, not only said.
      expect(metrics).toMatch(/herald_messages_rejected_total\{[^}]*reason="broker-violation"[^}]*\} [1-9]/);

      // The storm is over: a good message still goes all the way through.
      // Sent again (same id) on each new connection while it has not arrived: the connection it
      // went on may have been one the bridge was dropping for what came before it.
      const arrived = () => tail.output().stdout.includes("after the storm");
      let sentOn = -1;
      await until(
        () => {
          if (arrived()) return true;
          const connection = broker.connections();
          if (connection !== sentOn && broker.sendGood({ text: "after the storm" }, "after-1")) sentOn = connection;
          return false;
        },
        "the good message on the bus",
        60_000,
      );
      expect(tail.output().stdout.match(/after the storm/g)).toHaveLength(1);
      // Healthy again once it holds a connection (it may be reconnecting after the storm's last drop).
      await until(
        async () => (await fetch(`http://127.0.0.1:${bridgePort}/healthz`)).status === 200,
        "the bridge healthy again",
        30_000,
      );
    },
    120_000,
  );
});
