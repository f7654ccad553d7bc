import { resolve } from "node:path";
import { createEnvelope, HeraldError, type JsonObject, type SchemaRegistry, signEnvelope } from "@herald/sdk";
import { createRelayClient, createSpool } from "@herald/transport-zeromq";
import { Option } from "commander";
import { CliError } from "../cli-error.js";
import { collect, positiveInteger, withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { type CommandIo, readAll } from "../io.js";
import { readJsonText } from "../read-json-file.js";
import { schemaCatalogueFor } from "../schema-catalogue.js";
import { signingKeyFrom } from "./sign.js";

/** Flags of `herald publish`. */
export interface PublishOptions {
  topic: string;
  data?: string;
  relay?: string[];
  key?: string;
  keyid?: string;
  source?: string;
  dataschema?: string;
  timeout?: number;
  json?: boolean;
  /** false with --no-schema: publish without checking data or setting dataschema. */
  schema?: boolean;
  /** Queue the message when no relay answers: true for the configured spool_dir, or a folder. */
  spool?: boolean | string;
  config?: string;
}

/**
 * `herald publish`: builds, signs and sends one message through the first relay that
 * acknowledges it. Exits 0 only on an acknowledgement (what fedmsg-logger did, but confirmed).
 */
export async function runPublish(options: PublishOptions, io: CommandIo): Promise<void> {
  const config = configFor(options, io);
  const topic = options.topic.startsWith(`${config.prefix}.`)
    ? options.topic
    : `${config.prefix}.${config.environment}.${options.topic}`;
  const data = parseData(
    options.data ?? (await readAll(io.stdin)),
    options.data === undefined ? "stdin" : "--data",
    config.maxMessageBytes,
  );
  const key = signingKeyFrom(options, io);
  const dataschema =
    options.schema === false
      ? options.dataschema
      : checkedDataschema(schemaCatalogueFor(config, io).registry, topic, data, config.prefix, options.dataschema);
  let envelope = createEnvelope({
    topic,
    app: topic.slice(config.prefix.length + 1).split(".")[1] ?? "herald",
    data,
    ...((options.source ?? config.source) ? { source: (options.source ?? config.source) as string } : {}),
    ...(dataschema === undefined ? {} : { dataschema }),
  });
  if (key !== undefined) envelope = signEnvelope(envelope, key);
  const relays = options.relay ?? config.relays;
  const client = createRelayClient({ relays, timeoutMs: options.timeout ?? config.relayTimeoutMs });
  try {
    const ack = await client.send(envelope);
    io.stdout.write(options.json ? `${JSON.stringify({ ...ack, topic })}\n` : `${ack.id}\n`);
  } catch (error) {
    if (!options.spool || !HeraldError.isInstance(error) || error.code !== "E_RELAY_UNREACHABLE") throw error;
    const file = createSpool(options.spool === true ? config.spoolDir : resolve(io.cwd, options.spool)).add(envelope);
    throw new CliError(
      "E_QUEUED",
      `${error.message}; queued to ${file} for herald spool flush or a relay started with --spool`,
    );
  } finally {
    await client.close();
  }
}

/** The data as a relay with the same `max_message_bytes` would read it. */
function parseData(text: string, where: string, maxBytes: number): JsonObject {
  const reading = readJsonText(text, { maxBytes });
  if (!reading.ok) throw new CliError("E_INPUT", `${where}: ${reading.problem}`);
  const { value } = reading;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError("E_INPUT", `${where}: data must be a JSON object`);
  }
  return value as JsonObject;
}

/**
 * Checks data against every schema the project knows (the newest version of the topic's schema, or the
 * one `--dataschema` names) and returns the dataschema to set.
 */
function checkedDataschema(
  registry: SchemaRegistry,
  topic: string,
  data: JsonObject,
  prefix: string,
  dataschema: string | undefined,
): string {
  // The schema name is the topic without the prefix and the environment token, whatever it is.
  const name = topic
    .slice(prefix.length + 1)
    .split(".")
    .slice(1)
    .join(".");
  const lookup = dataschema === undefined ? undefined : registry.lookup(dataschema);
  if (lookup !== undefined && lookup.status !== "found")
    throw new CliError("E_USAGE", `--dataschema ${dataschema}: ${lookup.status}`);
  const schema = lookup?.status === "found" ? lookup.schema : registry.latest(name);
  if (schema === undefined) {
    throw new CliError(
      "E_USAGE",
      `no schema for ${name}: see herald schema list, or pass --no-schema to publish it unchecked`,
    );
  }
  const check = schema.check(data);
  if (!check.ok) {
    // Every problem at once, so one edit of --data can fix them all.
    const problems = (check.problems ?? [check]).map((problem) => `${problem.path} ${problem.message}`);
    throw new CliError("E_INPUT", `data does not match ${schema.dataschema}: ${problems.join("; ")}`);
  }
  return schema.dataschema;
}

/** `herald publish`: its arguments and flags, beside the function that runs it. */
export const publishCommand = defineCommand({
  configure: (command) =>
    withConfig(
      command
        .requiredOption(
          "--topic <topic>",
          "full topic, or an event name (git.receive) to put under <prefix>.<environment>",
        )
        .option("--data <json>", "the message's data, a JSON object (default: read from stdin)")
        .option(
          "--relay <address>",
          "relay inbound address (repeatable, tried in order; default: relays of the configuration)",
          collect,
        )
        .option("--key <file>", "PKCS#8 PEM private key to sign with (default: key_file of the configuration)")
        .option("--keyid <id>", "the key's id (default: key_id of the configuration)")
        .option("--source <source>", "the envelope's source, /<app>/<host>")
        .option(
          "--dataschema <schema>",
          "the schema version to publish under, herald:<name>/<major>.<minor> (default: the newest)",
        )
        .option("--no-schema", "publish without checking the data against the topic's schema")
        .option("--spool [dir]", "when no relay answers, queue the message (default folder: spool_dir) and exit 75")
        .addOption(
          new Option("--timeout <ms>", "how long each relay may take to acknowledge").argParser(positiveInteger),
        )
        .option("--json", "print the acknowledgement as JSON"),
    ),
  action: (io) => (options) => runPublish(options, io),
});
