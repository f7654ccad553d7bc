// A separate publishing process: binds a ZeroMQ PUB socket, waits for subscribers to join, then
// sends N messages (signed when a key is given, all signed before the clock starts) mixed with
// forged, mis-framed and garbage ones. Prints one JSON line of what it sent and when.
// Plain JavaScript so that it runs with `node` alone, in tests and in the benchmark.
import { parseArgs } from "node:util";
import { createEnvelope, loadSigningKey, signEnvelope } from "@herald/sdk";
import { Publisher } from "zeromq";

const { values } = parseArgs({
  options: {
    bind: { type: "string" },
    count: { type: "string", default: "1000" },
    key: { type: "string" },
    keyid: { type: "string" },
    forged: { type: "string", default: "0" },
    garbage: { type: "string", default: "0" },
    topic: { type: "string", default: "org.example.prod.git.receive" },
    "wait-ms": { type: "string", default: "700" },
  },
});
const count = Number(values.count);
const forged = Number(values.forged);
const garbage = Number(values.garbage);
const key = values.key ? loadSigningKey(values.key, values.keyid) : undefined;
const topic = values.topic;

const frames = [];
const bad = [];
for (let n = 0; n < count; n++) {
  let envelope = createEnvelope({
    topic,
    data: { n, repo: "herald", rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3" },
  });
  if (key) envelope = signEnvelope(envelope, key);
  frames.push([topic, JSON.stringify(envelope)]);
}
for (let n = 0; n < forged; n++) {
  const [, body] = frames[n % frames.length];
  const envelope = JSON.parse(body);
  bad.push([topic, JSON.stringify({ ...envelope, data: { ...envelope.data, forged: true } })]);
  bad.push(["org.example.prod.wiki.page.delete", body]);
}
for (let n = 0; n < garbage; n++) {
  bad.push([topic, Buffer.from([0xff, n & 0xff, 0x00])]);
  bad.push([topic]);
  bad.push([topic, '{"specversion":"1.0"']);
}

const socket = new Publisher({ sendHighWaterMark: 0, linger: 5000 });
await socket.bind(values.bind);
await new Promise((resolve) => setTimeout(resolve, Number(values["wait-ms"])));
const started = Date.now();
const every = bad.length === 0 ? 0 : Math.max(1, Math.floor(frames.length / bad.length));
let nextBad = 0;
for (let n = 0; n < frames.length; n++) {
  await socket.send(frames[n]);
  if (every && n % every === 0 && nextBad < bad.length) await socket.send(bad[nextBad++]);
}
while (nextBad < bad.length) await socket.send(bad[nextBad++]);
const sent = Date.now();
process.stdout.write(`${JSON.stringify({ started, sent, count, bad: bad.length })}\n`);
socket.close();
