// Benchmarks of the consumers that react (issue 7) and the browser gateway (issue 8):
// - notifications: matching messages against every user's rules (1,000 users, 3 rules each),
//   rules compiled once and matches written to SQLite, as `herald notifications` does;
// - gateway: a message fanned out to 10 real WebSocket clients, each with its own filters.
import { join } from "node:path";
import { createGateway } from "@herald/gateway";
import { createNotifier, openPreferencesStore } from "@herald/notifications";
import { present } from "@herald/schemas";
import { createEnvelope, silentLogger } from "@herald/sdk";
import WebSocket from "ws";
import { opsPerSecond } from "./measure.js";

/** `--only notify` and `--only gateway`. */
export async function benchConsumers({ record, want, runs, scale, dir }) {
  if (want("notify")) await benchNotifier({ record, runs, scale, dir });
  if (want("gateway")) await benchGateway({ record, runs, scale });
}

function messages(count) {
  const apps = ["git.tag.create", "account.user.create", "wiki.article.edit", "buildsys.build.complete"];
  return Array.from({ length: count }, (_, index) => {
    const event = apps[index % apps.length];
    const data =
      event === "git.tag.create"
        ? {
            repo: `pkg${index % 500}`,
            tag: `v${index}`,
            rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
            username: `user${index % 5000}`,
          }
        : event === "account.user.create"
          ? { username: `user${index % 5000}` }
          : {
              title: `Page ${index}`,
              user: `user${index % 5000}`,
              revision: index + 1,
              minor: false,
              url: "https://wiki.example.org/x",
            };
    const envelope = createEnvelope({ topic: `org.example.prod.${event}`, data });
    return {
      id: envelope.id,
      topic: envelope.type,
      time: envelope.time,
      event,
      app: event.split(".")[0],
      presentation: present(envelope, event),
    };
  });
}

async function benchNotifier({ record, runs, scale, dir }) {
  const store = await openPreferencesStore(`sqlite:${join(dir, "prefs.sqlite")}`);
  for (let user = 0; user < 1000; user++) {
    const name = `user${user}`;
    await store.setContact(name, { email: `${name}@example.org` });
    await store.addRule(name, { aboutMe: true, delivery: "email", digestSeconds: 3600 });
    await store.addRule(name, { packages: [`pkg${user % 500}`], delivery: "email", digestSeconds: 3600 });
    await store.addRule(name, { topics: ["buildsys.build.#"], apps: ["nothing"], delivery: "email" });
  }
  const notifier = createNotifier({
    store,
    senders: { email: async () => {} },
    emailsPerHour: 12,
    logger: silentLogger,
  });
  const count = Math.round(20_000 * scale);
  const batch = messages(count);
  record(
    "notifications: match 1,000 users' 3,000 rules, queue matches (SQLite)",
    await opsPerSecond(count, runs, async () => {
      for (const message of batch) await notifier.handle({ ...message, id: `${message.id}-${Math.random()}` });
    }),
    "msg/s",
    `${notifier.stats.matched.toLocaleString("en")} matches queued`,
  );
  await store.close();
}

async function benchGateway({ record, runs, scale }) {
  const { createServer } = await import("node:http");
  const gateway = createGateway({ logger: silentLogger, perClientLimit: 100_000 });
  const server = createServer();
  gateway.attach(server);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `ws://127.0.0.1:${server.address().port}/stream`;
  const clients = await Promise.all(
    Array.from({ length: 10 }, async (_, index) => {
      const socket = new WebSocket(url);
      const client = { socket, received: 0 };
      socket.on("message", (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type === "messages") client.received += frame.items.length;
      });
      await new Promise((resolve) => socket.once("open", resolve));
      // Half the clients watch git only: filtering happens in the gateway.
      if (index % 2 === 1) socket.send(JSON.stringify({ type: "filter", topics: ["git.#"] }));
      return client;
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  const count = Math.round(50_000 * scale);
  const items = messages(count).map((message) => ({
    ...message,
    signer: "git.bench01",
    outcome: "valid",
    summary: message.presentation.summary,
    icon: message.presentation.icon,
    link: null,
    usernames: message.presentation.usernames,
    packages: message.presentation.packages,
    severity: "info",
    envelope: { id: message.id },
  }));
  const expected = count * 5 + items.filter((item) => item.event.startsWith("git.")).length * 5;
  record(
    "gateway: fan out to 10 WebSocket clients (5 filtered), until all received",
    await opsPerSecond(count, runs, async () => {
      for (const client of clients) client.received = 0;
      for (let index = 0; index < items.length; index += 500) {
        for (const item of items.slice(index, index + 500)) gateway.publish(item);
        await new Promise((resolve) => setImmediate(resolve));
      }
      while (clients.reduce((sum, client) => sum + client.received, 0) < expected)
        await new Promise((resolve) => setTimeout(resolve, 5));
    }),
    "msg/s",
  );
  for (const client of clients) client.socket.close();
  await gateway.close();
  server.close();
}
