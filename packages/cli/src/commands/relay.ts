import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { admissionSource, transportUp } from "@herald/ops";
import { startRelay } from "@herald/relay";
import { transportFromConfig } from "@herald/sdk";
import { Option } from "commander";
import { CliError } from "../cli-error.js";
import { collect, port, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import type { CommandIo } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { runService } from "../run-service.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";
import { signingKeyFrom } from "./sign.js";

/** Flags of `herald relay`. */
export interface RelayCommandOptions {
  inbound?: string[];
  outbound?: string[];
  http?: number | false;
  trust?: string;
  insecure?: boolean;
  key?: string;
  keyid?: string;
  spool?: boolean | string;
  config?: string;
}

/** `herald relay`: runs until SIGINT or SIGTERM, then flushes and exits 0. */
export async function runRelay(options: RelayCommandOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const { trust, policy } = receivingTrust(options, config, io, "forward unverified", "relay");
  const signingKey = signingKeyFrom(options, io);
  const inbound = options.inbound ?? config.relay.inbound;
  const outboundAddresses = options.outbound ?? config.relay.outbound;
  const httpPort = options.http === false ? undefined : (options.http ?? config.relay.httpPort);
  const token = httpTokenOf(config.relay.httpTokenFile);
  // /healthz and /metrics are served on the HTTP inbound's port, so runService serves none.
  await runService(io, "relay", undefined, async ({ logger, metrics, opsRoutes }) => {
    const { transport: outbound, description: to } = await transportFromConfig(config, {
      direction: "publish",
      bind: outboundAddresses,
      logger,
    });
    // Every known version compiled before the first message, so no publisher's acknowledgement
    // waits for a schema compilation.
    const catalogue = schemaCatalogueFor(config, io, [], "relay");
    // One that cannot be compiled is said and left out: it refuses its messages, never the relay.
    for (const entry of catalogue.entries) {
      try {
        catalogue.registry.lookup(`herald:${entry.name}/${entry.version}`);
      } catch (cause) {
        logger.warn(
          `schema ${entry.name} ${entry.version} cannot be compiled (${(cause as Error).message}): its messages will be refused`,
        );
      }
    }
    const schemas = catalogue.registry;
    // The relay is healthy when its outbound is up and its journal can be written.
    let relayHealth: () => { ok: boolean; detail?: string } = () => ({ ok: true });
    const routes = opsRoutes(() => {
      const journal = relayHealth();
      return { ...journal, ok: transportUp(outbound) && journal.ok, outbound: outbound.name };
    });
    const relay = await startRelay({
      inbound,
      outbound,
      ...(trust === undefined ? {} : { trust }),
      policy,
      schemas,
      maxMessageBytes: config.maxMessageBytes,
      // One file per relay: two relays of one machine keep apart what each accepted.
      journalFile:
        config.relay.journalFile ??
        join(config.relay.stateDir, `relay-${inbound.join("+").replace(/[^A-Za-z0-9.+-]+/g, "_")}.journal`),
      ...(signingKey === undefined ? {} : { signingKey }),
      ...(httpPort === undefined
        ? {}
        : { http: { port: httpPort, host: config.relay.httpHost, routes, ...(token === undefined ? {} : { token }) } }),
      logger,
      ...(options.spool === undefined || options.spool === false
        ? {}
        : { spool: options.spool === true ? config.spoolDir : resolve(io.cwd, options.spool) }),
    }).catch(async (error: unknown) => {
      await outbound.close();
      throw error;
    });
    relayHealth = relay.health;
    metrics.add(admissionSource("relay", () => relay.stats, outbound));
    const http =
      relay.httpPort === undefined ? "" : `, http http://${config.relay.httpHost}:${relay.httpPort}/v1/messages`;
    return {
      ready: `inbound ${relay.endpoints.join(" ")}, outbound ${to}${http}`,
      close: () => relay.close(),
      summary() {
        const { accepted, rejected } = relay.stats;
        const refused = Object.values(rejected).reduce((sum, count) => sum + count, 0);
        return ` after relaying ${accepted} message(s) and refusing ${refused}`;
      },
    };
  });
}

/** `herald relay`: its arguments and flags, beside the function that runs it. */
export const relayCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option(
          "--inbound <address>",
          "ROUTER address to bind (repeatable; default: relay.inbound of the configuration)",
          collect,
        )
        .option(
          "--outbound <address>",
          "PUB address to bind (repeatable; default: relay.outbound of the configuration)",
          collect,
        )
        .addOption(new Option("--http <port>", "also take HTTP POSTs on this port (0: any free port)").argParser(port))
        .option("--no-http", "do not start the HTTP inbound")
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "forward every well-formed message without verifying it")
        .option(
          "--spool [dir]",
          "also deliver what hooks queued in this folder (default: spool_dir), at start and every 2 s",
        )
        .option("--key <file>", "sign HTTP {topic, data} posts with this key (default: key_file of the configuration)")
        .option("--keyid <id>", "the key's id"),
    ),
  action: (io) => (options) => runRelay(options, io),
});

/**
 * The HTTP inbound's token, from `http_token_file`: its first line, at least 16 characters (a
 * guessable token is no token).
 * @throws CliError `E_USAGE` naming the file when it cannot be read or the token is too short.
 */
function httpTokenOf(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new CliError("E_USAGE", `cannot read relay token file ${file}: ${(cause as NodeJS.ErrnoException).code}`);
  }
  const token = text.split("\n")[0]?.trim() ?? "";
  if (token.length < 16)
    throw new CliError("E_USAGE", `relay token file ${file}: the token must have at least 16 characters`);
  return token;
}
