import { mkdtempSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestCertificates, type TestCertificates } from "./certificates.js";
import { freePort } from "./ports.js";
import { type RunningProcess, startProcess } from "./processes.js";

/** A real IRC server for a test: Debian's ngircd on loopback, plain and TLS ports. */
export interface TestIrcServer {
  port: number;
  tlsPort: number;
  /** The TLS port's certificates: `ca` signed its certificate (for NODE_EXTRA_CA_CERTS), and a client's. */
  certificates: TestCertificates;
  process: RunningProcess;
  stop(): Promise<void>;
}

/**
 * Starts ngircd (from Debian's `ngircd` package) with a fresh configuration and waits for it;
 * `reuse` starts it again on a stopped server's ports (to test reconnection).
 */
export async function startNgircd(
  reuse?: TestIrcServer,
  options: { maxNickLength?: number } = {},
): Promise<TestIrcServer> {
  const dir = mkdtempSync(join(tmpdir(), "herald-ngircd-"));
  const port = reuse?.port ?? (await freePort());
  const tlsPort = reuse?.tlsPort ?? (await freePort());
  const certificates = reuse?.certificates ?? makeTestCertificates(dir, "herald-irc-client");
  const certFile = certificates.serverCert;
  const keyFile = certificates.serverKey;
  const config = join(dir, "ngircd.conf");
  writeFileSync(
    config,
    [
      "[Global]",
      "Name = irc.herald.test",
      "Info = Herald test server",
      `Ports = ${port}`,
      "Listen = 127.0.0.1",
      `PidFile = ${join(dir, "ngircd.pid")}`,
      `MotdFile = ${join(dir, "motd")}`,
      "[Limits]",
      `MaxNickLength = ${options.maxNickLength ?? 30}`,
      "PingTimeout = 120",
      "[Options]",
      "PAM = no",
      "Ident = no",
      "DNS = no",
      "[SSL]",
      `CertFile = ${certFile}`,
      `KeyFile = ${keyFile}`,
      `Ports = ${tlsPort}`,
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "motd"), "Herald test server\n");
  const process = startProcess("/usr/sbin/ngircd", ["--nodaemon", "--config", config]);
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (Date.now() > deadline)
      throw new Error(`ngircd did not start: ${process.output().stderr}${process.output().stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    tlsPort,
    certificates,
    process,
    async stop() {
      await process.stop();
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A line a {@link IrcListener} saw: when, from whom, to which target, and the text. */
export interface HeardLine {
  at: number;
  from: string;
  target: string;
  text: string;
}

/** A second IRC client, written here from the protocol (not the code under test), reading a channel. */
export interface IrcListener {
  heard: HeardLine[];
  close(): void;
}

/**
 * Connects a plain IRC client as `nick`, joins `channel` (if given) and records every PRIVMSG it
 * receives; resolves once it has joined (or registered).
 */
export function listenOnIrc(port: number, nick: string, channel?: string): Promise<IrcListener> {
  const socket: Socket = connect(port, "127.0.0.1");
  const heard: HeardLine[] = [];
  let buffer = "";
  return new Promise((resolve, reject) => {
    const listener = { heard, close: () => socket.end("QUIT :done\r\n") };
    socket.once("error", reject);
    socket.on("connect", () => socket.write(`NICK ${nick}\r\nUSER ${nick} 0 * :listener\r\n`));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      const lines = buffer.split("\r\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const [prefix, command, target] = line.split(" ");
        if (line.startsWith("PING")) socket.write(`PONG ${line.slice(5)}\r\n`);
        else if (command === "001") channel === undefined ? resolve(listener) : socket.write(`JOIN ${channel}\r\n`);
        else if (command === "JOIN" && prefix?.startsWith(`:${nick}!`)) resolve(listener);
        else if (command === "PRIVMSG") {
          const text = line.slice(line.indexOf(" :", 1) + 2);
          heard.push({ at: Date.now(), from: prefix?.slice(1).split("!")[0] ?? "", target: target ?? "", text });
        }
      }
    });
  });
}
