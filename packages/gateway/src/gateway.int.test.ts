import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createEnvelope, silentLogger } from "@herald/sdk";
import { until as waitUntil } from "@herald/test-support";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createGateway, type Gateway } from "./gateway.js";
import type { ServerFrame, StreamItem } from "./stream-item.js";

let sequence = 0;
function item(event: string, usernames: string[] = []): StreamItem {
  const envelope = createEnvelope({ topic: `org.example.prod.${event}`, data: { n: ++sequence } });
  return {
    id: envelope.id,
    time: envelope.time,
    topic: envelope.type,
    event,
    app: event.split(".")[0] as string,
    signer: null,
    outcome: "valid",
    summary: `message ${sequence}`,
    icon: "tag",
    link: null,
    usernames,
    packages: [],
    severity: "info",
    envelope,
  };
}

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function started(
  limit = 1000,
  more: Partial<Parameters<typeof createGateway>[0]> = {},
): Promise<{ gateway: Gateway; url: string }> {
  const gateway = createGateway({ logger: silentLogger, perClientLimit: limit, flushMs: 10, ...more });
  const server = createServer();
  gateway.attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () => new Promise((resolve) => server.close(resolve)),
    () => gateway.close(),
  );
  return { gateway, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream` };
}

async function connect(url: string, origin?: string): Promise<{ socket: WebSocket; frames: ServerFrame[] }> {
  const socket = new WebSocket(url, origin === undefined ? {} : { origin });
  const frames: ServerFrame[] = [];
  socket.on("message", (data) => frames.push(JSON.parse(data.toString())));
  await new Promise((resolve) => socket.once("open", resolve));
  closers.push(() => socket.close());
  return { socket, frames };
}

const items = (frames: ServerFrame[]) => frames.flatMap((frame) => (frame.type === "messages" ? frame.items : []));
// Waits as long as a loaded machine needs (and fails naming what it waited for), never a fixed time.
const until = (check: () => boolean, what = "the frames the test waits for") => waitUntil(check, what, 30_000);

describe("the WebSocket gateway", () => {
  it("applies each browser's filters on the server", async () => {
    const { gateway, url } = await started();
    const everything = await connect(url);
    const accounts = await connect(url);
    accounts.socket.send(JSON.stringify({ type: "filter", topics: ["account.#"], users: ["alice"] }));
    await until(() => accounts.frames.filter((frame) => frame.type === "hello").length === 2);
    gateway.publish(item("git.tag.create", ["alice"]));
    gateway.publish(item("account.user.create", ["bob"]));
    gateway.publish(item("account.user.create", ["alice"]));
    // A last one both take: each browser gets its frames in order, so once it is there nothing
    // published before it is still on its way.
    gateway.publish(item("account.user.delete", ["alice"]));
    await until(() => items(everything.frames).length === 4 && items(accounts.frames).length >= 2);
    expect(items(everything.frames)).toHaveLength(4);
    expect(items(accounts.frames).map((entry) => [entry.event, entry.usernames])).toEqual([
      ["account.user.create", ["alice"]],
      ["account.user.delete", ["alice"]],
    ]);
  });

  it("answers a bad filter with an error frame and keeps the stream open", async () => {
    const { url } = await started();
    const client = await connect(url);
    client.socket.send(JSON.stringify({ type: "filter", topics: ["git..#"] }));
    await until(() => client.frames.some((frame) => (frame as { type: string }).type === "error"));
    expect(client.frames.at(-1)).toEqual({
      type: "error",
      message: '"git..#" is not a topic pattern (e.g. git.# or org.example.*.wiki.#)',
    });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("drops the oldest messages of a browser that does not read, tells it, and never holds up publishing or other browsers", async () => {
    const { gateway, url } = await started(500);
    const slow = await connect(url);
    const fast = await connect(url);
    // The slow browser stops reading: its socket fills up, then its queue.
    (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    // 20,000 messages as a bus delivers them: 200 every 10 ms (a pace, not a wait). publish()
    // returns at once (it never waits for a browser), and the fast browser gets every one while
    // the slow one still reads nothing: the slow one held up nobody.
    for (let chunk = 0; chunk < 100; chunk++) {
      for (let index = 0; index < 200; index++) expect(gateway.publish(item("git.tag.create"))).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await until(() => items(fast.frames).length === 20_000, "all 20,000 at the fast browser");
    expect(items(fast.frames)).toHaveLength(20_000);
    expect(gateway.stats.dropped).toBeGreaterThan(0);
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await until(() => slow.frames.some((frame) => frame.type === "dropped"));
    const dropped = slow.frames
      .filter((frame) => frame.type === "dropped")
      .reduce((sum, frame) => sum + (frame as { count: number }).count, 0);
    expect(dropped).toBeGreaterThan(0);
    expect(items(slow.frames).length + dropped).toBeLessThanOrEqual(20_000);
  });

  it("closes a stream that sends what is not a filter frame, and stays up for everyone else", async () => {
    const { gateway, url } = await started();
    const bystander = await connect(url);
    for (const frame of ["null", "42", '"filter"', "[]", "{", '{"type":"filter","type":"x"}', "[".repeat(10_000)]) {
      const hostile = await connect(url);
      const closed = new Promise<number>((resolve) => hostile.socket.once("close", resolve));
      let code: number | undefined;
      void closed.then((value) => {
        code = value;
      });
      hostile.socket.send(frame);
      // Either answer is an event: the stream closed (1003), or an error frame came back.
      await until(() => code !== undefined || hostile.frames.some((sent) => sent.type === "error"));
      if (code === undefined) expect(hostile.frames.at(-1)).toMatchObject({ type: "error" });
      else expect(code).toBe(1003);
    }
    const binary = await connect(url);
    const closed = new Promise<number>((resolve) => binary.socket.once("close", resolve));
    binary.socket.send(Buffer.from([0, 1, 2]));
    expect(await closed).toBe(1003);
    gateway.publish(item("git.tag.create"));
    await until(() => items(bystander.frames).length === 1);
    expect(items(bystander.frames)).toHaveLength(1);
  });

  it("bounds what one browser may ask for: pattern count, length and tokens, unknown keys", async () => {
    const { url } = await started();
    const client = await connect(url);
    const asks = [
      { type: "filter", topics: Array.from({ length: 21 }, (_, index) => `git.${index}`) },
      { type: "filter", topics: [Array(17).fill("#").join(".")] },
      { type: "filter", topics: ["a".repeat(129)] },
      { type: "filter", topics: ["git.#"], extra: 1 },
    ];
    for (const ask of asks) client.socket.send(JSON.stringify(ask));
    await until(() => client.frames.filter((frame) => frame.type === "error").length === asks.length);
    expect(
      client.frames.filter((frame) => frame.type === "error").map((frame) => (frame as { message: string }).message),
    ).toEqual([
      "topics must be a list of at most 20 strings of at most 128 characters",
      `"${Array(17).fill("#").join(".")}" has more than 16 tokens`,
      "topics must be a list of at most 20 strings of at most 128 characters",
      'unknown key "extra" (type, topics, apps, users)',
    ]);
  });

  it("closes a browser that sends filter frames faster than a person would, and serves the others", async () => {
    const { gateway, url } = await started();
    const bystander = await connect(url);
    const flooding = await connect(url);
    const closed = new Promise<number>((resolve) => flooding.socket.once("close", resolve));
    const frame = JSON.stringify({
      type: "filter",
      topics: Array.from({ length: 20 }, (_, n) => `git.${"x".repeat(100)}${n}`),
    });
    for (let n = 0; n < 100; n++) flooding.socket.send(frame);
    expect(await closed).toBe(1008);
    // At most the burst was answered.
    expect(flooding.frames.filter((sent) => sent.type === "hello").length).toBeLessThanOrEqual(21);
    gateway.publish(item("git.tag.create"));
    await until(() => items(bystander.frames).length === 1);
  });

  it("refuses pages of other sites, and browsers past its cap", async () => {
    const { url } = await started(1000, { maxClients: 2, allowedOrigins: ["https://monitor.example.org"] });
    const host = new URL(url).host;
    const refusal = (origin?: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url, origin === undefined ? {} : { origin });
        socket.once("unexpected-response", (_, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.once("open", () => {
          resolve(101);
          closers.push(() => socket.close());
        });
        socket.once("error", () => {});
      });
    expect(await refusal("https://evil.example")).toBe(403);
    expect(await refusal("null")).toBe(403);
    expect(await refusal(`http://${host}`)).toBe(101);
    expect(await refusal("https://monitor.example.org")).toBe(101);
    expect(await refusal()).toBe(503);
  });

  it("lets go of a browser that takes nothing for longer than its patience, freeing what it held", async () => {
    const { gateway, url } = await started(1000, { slowClientMs: 300, maxBufferedBytes: 16 * 1024 });
    const stuck = await connect(url);
    const closed = new Promise((resolve) => stuck.socket.once("close", resolve));
    (stuck.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const started_ = Date.now();
    while (gateway.stats.clients > 0 && Date.now() - started_ < 10_000) {
      for (let index = 0; index < 200; index++) gateway.publish(item("git.tag.create"));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(gateway.stats.clients).toBe(0);
    (stuck.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
  });
});
