import type { Presenter } from "@herald/schemas";
import { createBus, type ReceivedMessage, schemaNameOf } from "@herald/sdk";
import { createRejectionReport } from "@herald/sdk/internal";
import { Option } from "commander";
import { receivingTransport } from "../bus-transport.js";
import { collect, positiveInteger, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, colorsFor, createBatchedWriter } from "../io.js";
import { receivingTrust } from "../receiving-trust.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";
import { untilStopped } from "../signals.js";
import { stderrLogger } from "../stderr-logger.js";
import { checkTopicPatterns } from "../topic-flags.js";

/** Flags of `herald tail`. */
export interface TailOptions {
  connect?: string[];
  topic?: string[];
  trust?: string;
  insecure?: boolean;
  count?: number;
  json?: boolean;
  config?: string;
}

/**
 * `herald tail`: prints accepted messages as they arrive. Refused messages are never printed;
 * their count by reason goes to stderr (at most once a second, and at the end), as do gaps.
 */
export async function runTail(options: TailOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const { trust, policy } = receivingTrust(options, config, io, "show messages unverified", "tail");
  const logger = stderrLogger("tail", io);
  const rejections = createRejectionReport(logger);
  checkTopicPatterns(options.topic ?? ["#"], config.prefix, logger);

  // Data is checked against the schema each message names (fetched once from schema_registry
  // when only that service knows it), so the summary line never presents invalid data.
  const catalogue = schemaCatalogueFor(config, io, [], "tail");
  const { transport } = await receivingTransport(config, options, logger);
  const bus = createBus({
    schemas: catalogue.registry,
    transport,
    ...(trust === undefined ? {} : { trust }),
    policy,
  });
  const subscription = await bus.subscribe(options.topic ?? ["#"], {
    onReject: rejections.count,
    onGap: (gap) => logger.warn(`missed ${gap.missed} message(s) on ${gap.topic} from sender ${gap.sender}`),
  });
  const stopped = untilStopped().then(() => subscription.close());

  const out = createBatchedWriter(io.stdout);
  const format = options.json
    ? (message: ReceivedMessage) => `${message.raw.toString("utf8")}\n`
    : lineFormatter(io, config.prefix, config.environment, catalogue.presenter);
  let accepted = 0;
  try {
    for await (const message of subscription) {
      out.write(format(message));
      accepted++;
      if (options.count !== undefined && accepted >= options.count) break;
    }
  } finally {
    await out.flush();
    rejections.stop();
    await bus.close();
    void stopped;
  }
}

/** One human line per message: time, topic, signer, and the summary line its schema gives. */
function lineFormatter(
  io: CommandIo,
  prefix: string,
  environment: string,
  presenter: Presenter,
): (message: ReceivedMessage) => string {
  const colors = colorsFor(io.stdout, io.env);
  const width = Math.max(40, (io.stdout as { columns?: number }).columns ?? 160);
  return ({ envelope, outcome }) => {
    const time = envelope.time.slice(11, 23);
    const signer = outcome === "valid" ? colors.green(envelope.keyid ?? "") : colors.yellow(outcome);
    const head = `${colors.dim(time)} ${colors.cyan(envelope.type)} ${signer} `;
    const room = Math.max(10, width - time.length - envelope.type.length - (envelope.keyid ?? outcome).length - 3);
    const summary = presenter.present(envelope, schemaNameOf(envelope.type, prefix, environment)).summary;
    return `${head}${summary.length > room ? `${summary.slice(0, room - 1)}…` : summary}\n`;
  };
}

/** `herald tail`: its arguments and flags, beside the function that runs it. */
export const tailCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .option(
          "--connect <address>",
          "publisher address to connect to (repeatable; default: every endpoint of the configuration)",
          collect,
        )
        .option("--topic <pattern>", "topic pattern to show (repeatable; default #)", collect)
        .option("--trust <file>", "trust file (default: trust_file of the configuration)")
        .option("--insecure", "show messages without verifying them (no trust file needed)")
        .addOption(new Option("--count <n>", "exit 0 after this many accepted messages").argParser(positiveInteger))
        .option("--json", "print each accepted envelope on one line exactly as received"),
    ),
  action: (io) => (options) => runTail(options, io),
});
