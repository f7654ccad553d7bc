import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deleteAmqpTopology, rabbitmqAvailable, testAmqpUrl } from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { installedPackages, installTarballs, packWorkspaces } from "./pack-install.js";

const hasBroker = await rabbitmqAvailable();
const exchange = `herald.test.${randomBytes(4).toString("hex")}`;
afterAll(() => deleteAmqpTopology({ exchanges: [exchange] }));

describe("a service that uses Herald on RabbitMQ only, installed from the packed tarballs", () => {
  const tarballs = packWorkspaces(["@herald/sdk", "@herald/transport-amqp"]);
  const project = installTarballs([...tarballs.values()]);

  it("installs neither zeromq nor sodium-native", () => {
    const installed = installedPackages(project);
    expect(installed).toEqual(expect.arrayContaining(["@herald/sdk", "@herald/transport-amqp", "rabbitmq-client"]));
    expect(installed).not.toContain("zeromq");
    expect(installed).not.toContain("sodium-native");
    expect(installed).not.toContain("@herald/transport-zeromq");
  });

  it("loads no native addon when it imports the SDK, and signs without one", () => {
    writeFileSync(
      join(project, "load.js"),
      `import { readFileSync } from "node:fs";
const natives = () => readFileSync("/proc/self/maps", "utf8").split("\\n").filter((line) => line.endsWith(".node"));
const sdk = await import("@herald/sdk");
const afterImport = natives().length;
const { signingKey } = sdk.generateSigningKey("app.host01");
const envelope = sdk.signEnvelope(sdk.createEnvelope({ topic: "org.example.dev.app.thing.happen", app: "app", data: {} }), signingKey);
console.log(JSON.stringify({ afterImport, afterSigning: natives().length, signed: typeof envelope.sig === "string" }));
`,
    );
    const printed = JSON.parse(execFileSync("node", ["load.js"], { cwd: project, encoding: "utf8" }));
    expect(printed).toEqual({ afterImport: 0, afterSigning: 0, signed: true });
  });

  it.skipIf(!hasBroker)("publishes and receives through transportFromConfig and RabbitMQ", () => {
    writeFileSync(
      join(project, "service.js"),
      `import { createBus, createEnvelope, loadConfig, signEnvelope, transportFromConfig } from "@herald/sdk";
import { makeSigner } from "@herald/sdk/testing";
` +
        `const config = loadConfig({ env: { HERALD_TRANSPORT: "amqp", HERALD_AMQP_URL: ${JSON.stringify(testAmqpUrl)}, HERALD_AMQP_EXCHANGE: ${JSON.stringify(exchange)} }, cwd: process.cwd() });
const { key, trust } = makeSigner("app.host01", ["org.example.#"]);
const receiving = await transportFromConfig(config, { direction: "receive" });
const bus = createBus({ schemas: "none", transport: receiving.transport, trust });
const subscription = await bus.subscribe(["org.example.#"]);
const publishing = await transportFromConfig(config, { direction: "publish" });
const envelope = signEnvelope(createEnvelope({ topic: "org.example.dev.app.thing.happen", app: "app", data: { n: 1 } }), key);
await publishing.transport.send(envelope.type, Buffer.from(JSON.stringify(envelope)), envelope.id);
for await (const message of subscription) {
  console.log(JSON.stringify({ outcome: message.outcome, id: message.envelope.id === envelope.id, from: receiving.description }));
  break;
}
await subscription.close();
await bus.close();
await publishing.transport.close();
`,
    );
    const printed = JSON.parse(
      execFileSync("node", ["service.js"], { cwd: project, encoding: "utf8", timeout: 30_000 }),
    );
    expect(printed).toMatchObject({ outcome: "valid", id: true });
    expect(printed.from).toMatch(new RegExp(`^exchange ${exchange.replaceAll(".", "\\.")} \\(an exclusive queue\\)`));
  });

  it("says which package to install when the configuration asks for a transport that is not there", () => {
    writeFileSync(
      join(project, "zeromq.js"),
      `import { loadConfig, transportFromConfig } from "@herald/sdk";
try {
  await transportFromConfig(loadConfig({ env: {}, cwd: process.cwd() }), { direction: "receive" });
} catch (error) {
  console.log(JSON.stringify({ code: error.code, message: error.message }));
}
`,
    );
    const printed = JSON.parse(execFileSync("node", ["zeromq.js"], { cwd: project, encoding: "utf8" }));
    expect(printed).toEqual({
      code: "E_CONFIG",
      message: 'transport = "zeromq" needs @herald/transport-zeromq: npm install @herald/transport-zeromq',
    });
  });
});
