import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@stomp/stompjs";
import { TCPWrapper } from "@stomp/tcp-wrapper";
import rhea from "rhea";
import { makeTestCertificates, type TestCertificates } from "./certificates.js";
import { freePort } from "./ports.js";

const run = promisify(execFile);
const rabbitBin = "/usr/lib/rabbitmq/bin";

/** A RabbitMQ node speaking AMQP 1.0 over TLS with SASL EXTERNAL, started by a test for itself. */
export interface TestAmqp10Broker {
  /** `amqps://localhost:<tls port>`: no user, so the bridge logs in with its certificate. */
  tlsUrl: string;
  /** `amqp://guest:guest@localhost:<port>`: for the test's own AMQP 0-9-1 setup and publishers. */
  plainUrl: string;
  certificates: TestCertificates;
  /** The user the client certificate logs in as. */
  clientName: string;
  /** Declares a durable queue bound to `amq.topic`, dead-lettering what is rejected to `<queue>.dead`. */
  declareQueue(queue: string, bindingKey: string): Promise<void>;
  /** Ready and unacknowledged messages of a queue. */
  queueCounts(queue: string): Promise<{ ready: number; unacked: number }>;
  /**
   * Publishes over AMQP 1.0 to `amq.topic` with each message's `subject` as routing key, and
   * resolves once the broker accepted every one (its confirmation).
   */
  publish(messages: readonly { subject: string; body: string; id: string }[]): Promise<void>;
  /** SIGKILLs the node and starts it again on the same ports and data, running `whileDown` in between. */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Closes every client connection from the broker's side (`rabbitmqctl close_all_connections`). */
  closeConnections(): Promise<void>;
  /** Deletes a queue while its consumers read it. */
  deleteQueue(queue: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a RabbitMQ node from Debian's package with `rabbitmq_amqp1_0` and
 * `rabbitmq_auth_mechanism_ssl`, on its own node name, ports and data folder (the machine's
 * broker is untouched): a plain AMQP port and a TLS one that verifies client certificates and
 * logs them in by their CN. About 8 s.
 */
export async function startAmqp10Broker(): Promise<TestAmqp10Broker> {
  const base = mkdtempSync(join(tmpdir(), "herald-amqp10-"));
  const clientName = "herald-bridge";
  const certificates = makeTestCertificates(base, clientName);
  const home = join(base, "home");
  mkdirSync(home);
  writeFileSync(join(home, ".erlang.cookie"), `HERALDAMQP10${Date.now()}`, { mode: 0o400 });
  writeFileSync(join(base, "plugins"), "[rabbitmq_amqp1_0,rabbitmq_auth_mechanism_ssl].\n");
  const port = await freePort();
  const tlsPort = await freePort();
  const distPort = await freePort();
  const node = `herald-amqp10-${port}@localhost`;
  writeFileSync(
    join(base, "rabbitmq.conf"),
    [
      `listeners.tcp.default = ${port}`,
      `listeners.ssl.default = ${tlsPort}`,
      `ssl_options.cacertfile = ${certificates.ca}`,
      `ssl_options.certfile = ${certificates.serverCert}`,
      `ssl_options.keyfile = ${certificates.serverKey}`,
      "ssl_options.verify = verify_peer",
      "ssl_options.fail_if_no_peer_cert = true",
      "auth_mechanisms.1 = EXTERNAL",
      "auth_mechanisms.2 = PLAIN",
      "auth_mechanisms.3 = AMQPLAIN",
      "ssl_cert_login_from = common_name",
      "",
    ].join("\n"),
  );
  const env = {
    ...process.env,
    HOME: home,
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(base, "mnesia"),
    RABBITMQ_LOG_BASE: join(base, "log"),
    RABBITMQ_PID_FILE: join(base, "node.pid"),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(base, "plugins"),
    RABBITMQ_CONFIG_FILE: join(base, "rabbitmq"),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(base, "advanced.config"),
    RABBITMQ_GENERATED_CONFIG_DIR: join(base, "config"),
    RABBITMQ_CONF_ENV_FILE: "/dev/null",
  };
  const ctl = (...args: string[]) =>
    run(join(rabbitBin, "rabbitmqctl"), ["-n", node, ...args], { env, timeout: 90_000 });
  const start = async () => {
    await run(join(rabbitBin, "rabbitmq-server"), ["-detached"], { env });
    await ctl("wait", join(base, "node.pid"), "--timeout", "80");
  };
  await start();
  // EXTERNAL logs in a user that exists, without a password.
  await ctl("add_user", clientName, "unused-password");
  await ctl("clear_password", clientName);
  await ctl("set_permissions", clientName, ".*", ".*", ".*");
  const plainUrl = `amqp://guest:guest@localhost:${port}`;
  const { Connection } = await import("rabbitmq-client");
  return {
    tlsUrl: `amqps://localhost:${tlsPort}`,
    plainUrl,
    certificates,
    clientName,
    async declareQueue(queue, bindingKey) {
      const connection = new Connection(plainUrl);
      try {
        const channel = await connection.acquire();
        await channel.queueDeclare({ queue: `${queue}.dead`, durable: true });
        await channel.queueDeclare({
          queue,
          durable: true,
          arguments: { "x-dead-letter-exchange": "", "x-dead-letter-routing-key": `${queue}.dead` },
        });
        await channel.queueBind({ queue, exchange: "amq.topic", routingKey: bindingKey });
        await channel.close();
      } finally {
        await connection.close();
      }
    },
    async queueCounts(queue) {
      const { stdout } = await ctl(
        "list_queues",
        "-q",
        "--no-table-headers",
        "name",
        "messages_ready",
        "messages_unacknowledged",
      );
      const row = stdout
        .split("\n")
        .map((line) => line.trim().split(/\s+/))
        .find((fields) => fields[0] === queue);
      return { ready: Number(row?.[1] ?? 0), unacked: Number(row?.[2] ?? 0) };
    },
    publish: (messages) => publishAmqp10(port, messages),
    async closeConnections() {
      await ctl("close_all_connections", "closed by the test");
    },
    async deleteQueue(queue) {
      await ctl("delete_queue", queue);
    },
    async restart(whileDown) {
      const pid = Number(readFileSync(join(base, "node.pid"), "utf8").trim());
      process.kill(pid, "SIGKILL");
      while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
      await whileDown?.();
      await start();
    },
    async stop() {
      await ctl("stop").catch(() => {});
    },
  };
}

/** Sends over AMQP 1.0 (PLAIN, guest) and waits for the broker to accept each message. */
function publishAmqp10(
  port: number,
  messages: readonly { subject: string; body: string; id: string }[],
): Promise<void> {
  return new Promise((resolve, reject) => {
    const connection = rhea.create_container().connect({
      host: "localhost",
      port,
      username: "guest",
      password: "guest",
      reconnect: false,
    });
    let accepted = 0;
    connection.on("connection_error", (event) => reject(new Error(String(event.connection.error))));
    const sender = connection.open_sender({ target: { address: "/exchange/amq.topic" } });
    sender.once("sendable", () => {
      for (const message of messages)
        sender.send({
          subject: message.subject,
          message_id: message.id,
          durable: true,
          content_type: "application/json",
          creation_time: new Date(),
          body: rhea.message.data_section(Buffer.from(message.body, "utf8")),
        });
    });
    sender.on("accepted", () => {
      accepted++;
      if (accepted === messages.length) {
        connection.close();
        resolve();
      }
    });
    sender.on("rejected", (event) =>
      reject(new Error(`the broker rejected a message: ${String(event.delivery?.remote_state)}`)),
    );
  });
}

/** Debian's ActiveMQ on a STOMP port of its own, with its own data folder. */
export interface TestActiveMq {
  /** `stomp://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** `stomp+ssl://localhost:<port>`: TLS, and a client certificate signed by `certificates.ca` required. */
  tlsUrl: string;
  certificates: TestCertificates;
  /**
   * Publishes to `/topic/<destination>` with a receipt for each message: resolves once the broker
   * confirmed every one (persistent).
   */
  publish(messages: readonly { destination: string; body: string }[]): Promise<void>;
  /** The bodies waiting on a queue (consumed and acknowledged), within `waitMs`. */
  drain(queue: string, waitMs: number): Promise<string[]>;
  /**
   * SIGKILLs the broker and starts it again on the same port and data (what it confirmed
   * survives), running `whileDown` in between.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's ActiveMQ 5 (package `activemq`) with STOMP connectors only, plain and TLS (the
 * TLS one wants a client certificate, as Red Hat's bus does): about 3 s.
 */
export async function startActiveMq(): Promise<TestActiveMq> {
  const base = mkdtempSync(join(tmpdir(), "herald-activemq-"));
  const port = await freePort();
  const tlsPort = await freePort();
  const certificates = makeTestCertificates(base, "herald-stomp-bridge");
  // Java reads PKCS#12: the broker's key and certificate, and the CA it trusts for clients.
  execFileSync("openssl", [
    "pkcs12",
    "-export",
    "-in",
    certificates.serverCert,
    "-inkey",
    certificates.serverKey,
    "-out",
    join(base, "broker.p12"),
    "-passout",
    "pass:herald",
  ]);
  execFileSync("keytool", [
    "-importcert",
    "-noprompt",
    "-alias",
    "ca",
    "-file",
    certificates.ca,
    "-keystore",
    join(base, "trust.p12"),
    "-storetype",
    "PKCS12",
    "-storepass",
    "herald",
  ]);
  const config = join(base, "activemq.xml");
  writeFileSync(
    config,
    `<beans xmlns="http://www.springframework.org/schema/beans" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans-2.0.xsd http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <broker xmlns="http://activemq.apache.org/schema/core" useJmx="false" brokerName="herald-test" dataDirectory="${base}/data" schedulerSupport="false">
    <persistenceAdapter><kahaDB directory="${base}/data/kahadb"/></persistenceAdapter>
    <sslContext><sslContext keyStore="file:${base}/broker.p12" keyStorePassword="herald" keyStoreType="pkcs12" trustStore="file:${base}/trust.p12" trustStorePassword="herald" trustStoreType="pkcs12"/></sslContext>
    <transportConnectors>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:${port}"/>
      <transportConnector name="stomp+ssl" uri="stomp+ssl://127.0.0.1:${tlsPort}?needClientAuth=true"/>
    </transportConnectors>
  </broker>
</beans>
`,
  );
  // The jar directly: Debian's /usr/bin/activemq switches user and writes /run/activemq.pid.
  const launch = async () => {
    const java = spawn(
      "java",
      [
        "-Xms64M",
        "-Xmx256M",
        "-Djava.awt.headless=true",
        `-Djava.io.tmpdir=${base}`,
        "-Dactivemq.home=/usr/share/activemq",
        `-Dactivemq.base=${base}`,
        `-Dactivemq.conf=${base}`,
        `-Dactivemq.data=${base}/data`,
        "-jar",
        "/usr/share/activemq/bin/activemq.jar",
        "start",
        `xbean:file:${config}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    java.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 10_000) stderr += chunk.toString();
    });
    const started = Date.now();
    for (;;) {
      if (java.exitCode !== null) throw new Error(`activemq exited (${java.exitCode}): ${stderr}`);
      if (await stompAnswers(port)) return java;
      if (Date.now() - started > 60_000) throw new Error(`activemq did not open port ${port} in 60 s: ${stderr}`);
      // Polling its port (each look is a connection), not pausing for a time.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  let java = await launch();
  const kill = async () => {
    if (java.exitCode !== null) return;
    java.kill("SIGKILL");
    await new Promise((resolve) => java.once("exit", resolve));
  };
  const url = `stomp://127.0.0.1:${port}`;
  return {
    url,
    port,
    tlsUrl: `stomp+ssl://localhost:${tlsPort}`,
    certificates,
    publish: (messages) => publishStomp(port, messages),
    drain: (queue, waitMs) => drainStomp(port, queue, waitMs),
    async restart(whileDown) {
      await kill();
      await whileDown?.();
      java = await launch();
    },
    stop: kill,
  };
}

async function stompAnswers(port: number): Promise<boolean> {
  const client = stompClient(port);
  try {
    await connectStomp(client, 1000);
    return true;
  } catch {
    return false;
  } finally {
    await client.deactivate();
  }
}

function stompClient(port: number): Client {
  return new Client({
    webSocketFactory: () => new TCPWrapper("127.0.0.1", port),
    connectHeaders: { host: "localhost" },
    reconnectDelay: 0,
    debug: () => {},
  });
}

function connectStomp(client: Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no STOMP answer")), timeoutMs);
    client.onConnect = () => {
      clearTimeout(timer);
      resolve();
    };
    client.onWebSocketClose = () => {
      clearTimeout(timer);
      reject(new Error("closed"));
    };
    client.activate();
  });
}

async function publishStomp(port: number, messages: readonly { destination: string; body: string }[]): Promise<void> {
  const client = stompClient(port);
  await connectStomp(client, 10_000);
  try {
    await Promise.all(
      messages.map((message, index) => {
        const receipt = `r-${index}`;
        const confirmed = new Promise<void>((resolve) => client.watchForReceipt(receipt, () => resolve()));
        client.publish({
          destination: `/topic/${message.destination}`,
          body: message.body,
          headers: { persistent: "true", "content-type": "application/json;charset=utf-8", receipt },
        });
        return confirmed;
      }),
    );
  } finally {
    await client.deactivate();
  }
}

async function drainStomp(port: number, queue: string, waitMs: number): Promise<string[]> {
  const client = stompClient(port);
  await connectStomp(client, 10_000);
  const bodies: string[] = [];
  client.subscribe(
    `/queue/${queue}`,
    (message) => {
      bodies.push(message.body);
      message.ack();
    },
    { ack: "client-individual" },
  );
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await client.deactivate();
  return bodies;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
