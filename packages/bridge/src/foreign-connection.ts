import { readFileSync } from "node:fs";
import { HeraldError } from "@herald/sdk";
import type { BridgeConfig } from "./bridge-config.js";

/** Where and how an `amqp10` or `stomp` bridge connects, read once at start. */
export interface ForeignEndpoint {
  host: string;
  port: number;
  /** `user@host:port`, never the password: for log lines. */
  display: string;
  username?: string;
  password?: string;
  /** Present when the connection is TLS: the CA to trust (default: the system's) and the client certificate. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; servername: string };
  /** How the bridge authenticates (AMQP 1.0's SASL; STOMP has login/passcode, or the TLS certificate). */
  sasl: "PLAIN" | "EXTERNAL" | "ANONYMOUS";
}

const schemes = {
  amqp10: { plain: ["amqp:"], tls: ["amqps:"], port: 5672, tlsPort: 5671 },
  stomp: { plain: ["stomp:", "tcp:"], tls: ["stomp+ssl:", "stomps:", "ssl:"], port: 61613, tlsPort: 61614 },
} as const;

/**
 * The endpoint of a foreign bridge from its `url`, `tls_*` and `sasl`: `amqps://` and
 * `stomp+ssl://` (or `stomps://`) connect with TLS, verifying the broker's certificate against
 * `tls_ca` (default: the system's CAs); `tls_cert` and `tls_key` present a client certificate. SASL
 * defaults to EXTERNAL (the certificate names the bridge) when a certificate is given and the URL
 * has no user, PLAIN when it has one, ANONYMOUS otherwise. Certificate files are read here, once.
 * @throws HeraldError `E_CONFIG` for a missing or wrong URL, an unreadable file, or EXTERNAL
 *   without a client certificate.
 */
export function foreignEndpoint(bridge: BridgeConfig, kind: keyof typeof schemes): ForeignEndpoint {
  const where = `bridge ${bridge.name}`;
  if (bridge.url === undefined) throw new HeraldError("E_CONFIG", `${where}: ${kind} needs url`);
  let url: URL;
  try {
    url = new URL(bridge.url);
  } catch {
    throw new HeraldError("E_CONFIG", `${where}: url ${JSON.stringify(bridge.url)} is not a URL`);
  }
  const scheme = schemes[kind];
  const tls = (scheme.tls as readonly string[]).includes(url.protocol);
  if (!tls && !(scheme.plain as readonly string[]).includes(url.protocol))
    throw new HeraldError(
      "E_CONFIG",
      `${where}: url must start with ${[...scheme.plain, ...scheme.tls].map((name) => `${name}//`).join(" or ")}`,
    );
  // "stomp://" parses as a URL with no host, which would quietly mean this machine.
  if (url.hostname === "")
    throw new HeraldError("E_CONFIG", `${where}: url ${JSON.stringify(bridge.url)} names no host`);
  if ((bridge.tls_cert === undefined) !== (bridge.tls_key === undefined))
    throw new HeraldError("E_CONFIG", `${where}: tls_cert and tls_key go together`);
  if (!tls && (bridge.tls_ca ?? bridge.tls_cert) !== undefined)
    throw new HeraldError("E_CONFIG", `${where}: tls_ca, tls_cert and tls_key need a TLS url (${scheme.tls[0]}//)`);
  const file = (path: string | undefined, what: string) => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw new HeraldError("E_CONFIG", `${where}: cannot read ${what} ${path}: ${(error as Error).message}`);
    }
  };
  const username = url.username === "" ? undefined : decodeURIComponent(url.username);
  const password = url.password === "" ? undefined : decodeURIComponent(url.password);
  const sasl =
    bridge.sasl ?? (username !== undefined ? "PLAIN" : bridge.tls_cert !== undefined ? "EXTERNAL" : "ANONYMOUS");
  if (sasl === "EXTERNAL" && bridge.tls_cert === undefined)
    throw new HeraldError("E_CONFIG", `${where}: sasl = "EXTERNAL" needs a client certificate (tls_cert, tls_key)`);
  if (sasl === "PLAIN" && username === undefined)
    throw new HeraldError("E_CONFIG", `${where}: sasl = "PLAIN" needs a user in the url`);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port === "" ? (tls ? scheme.tlsPort : scheme.port) : Number(url.port);
  const ca = file(bridge.tls_ca, "tls_ca");
  const cert = file(bridge.tls_cert, "tls_cert");
  const key = file(bridge.tls_key, "tls_key");
  return {
    host,
    port,
    display: `${username === undefined ? "" : `${username}@`}${host}:${port}`,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(tls
      ? {
          tls: {
            ...(ca === undefined ? {} : { ca }),
            ...(cert === undefined ? {} : { cert }),
            ...(key === undefined ? {} : { key }),
            servername: host,
          },
        }
      : {}),
    sasl,
  };
}

/**
 * The key the rules match for an address: without the broker's kind prefix (`topic://`,
 * `queue://`, `/topic/`, `/queue/`, `/exchange/<name>/`, `/amq/queue/`), so the same rule serves
 * ActiveMQ, Artemis, qpidd and RabbitMQ.
 */
export function addressKey(address: string): string {
  return address.replace(/^(?:topic:\/\/|queue:\/\/|\/topic\/|\/queue\/|\/amq\/queue\/|\/exchange\/[^/]*\/)/, "");
}
