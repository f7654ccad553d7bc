// The controls of the relay soak: the least a relay does, in bare zeromq.js, so the relay's memory
// per message can be read beside what ZeroMQ and the disk themselves cost.
//   --mode router       a ROUTER that acknowledges every request
//   --mode router-pub   and republishes the body on a PUB socket first
//   --mode router-sync  and appends it to a file, fdatasync'd per group, first
// Prints "ready <pid>" on stderr once bound.
import { closeSync, fdatasync, openSync, writeSync } from "node:fs";
import { parseArgs } from "node:util";
import { Publisher, Router } from "zeromq";

const { values } = parseArgs({
  options: {
    mode: { type: "string" },
    inbound: { type: "string" },
    outbound: { type: "string" },
    file: { type: "string" },
  },
});
const router = new Router({ receiveHighWaterMark: 1000 });
await router.bind(values.inbound);
const publisher = values.mode === "router-pub" ? new Publisher({ sendHighWaterMark: 100_000 }) : undefined;
if (publisher !== undefined) await publisher.bind(values.outbound);
const fd = values.mode === "router-sync" ? openSync(values.file, "a") : undefined;
const ok = '{"ok":true,"id":"control"}';
process.once("SIGTERM", () => {
  router.close();
  publisher?.close();
  if (fd !== undefined) closeSync(fd);
});
process.stderr.write(`ready ${process.pid}\n`);

// Group commit like the relay's: what arrived while one fdatasync ran waits for the next.
let group = [];
// A socket takes one send at a time.
let sending = Promise.resolve();
let syncing = false;
const flush = () => {
  if (syncing || group.length === 0) return;
  syncing = true;
  const done = group;
  group = [];
  writeSync(fd, Buffer.concat(done.map((item) => item.line)));
  fdatasync(fd, () => {
    syncing = false;
    for (const item of done) sending = sending.then(() => router.send([item.identity, item.requestId, ok]));
    flush();
  });
};
try {
  for await (const [identity, requestId, topic, body] of router) {
    if (publisher !== undefined) await publisher.send([topic, body]);
    if (fd !== undefined) {
      group.push({ identity, requestId, line: Buffer.concat([body, Buffer.from("\n")]) });
      setImmediate(flush);
    } else await router.send([identity, requestId, ok]);
  }
} catch {
  // Closed.
}
