import { createEnvelope, createRelayClient, type JsonObject, signEnvelope } from "@herald/sdk";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import { type CommandIo, readAll } from "../io.js";
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
  const data = parseData(options.data ?? (await readAll(io.stdin)), options.data === undefined ? "stdin" : "--data");
  const key = signingKeyFrom(options, io);
  let envelope = createEnvelope({
    topic,
    data,
    ...((options.source ?? config.source) ? { source: (options.source ?? config.source) as string } : {}),
    ...(options.dataschema === undefined ? {} : { dataschema: options.dataschema }),
  });
  if (key !== undefined) envelope = signEnvelope(envelope, key);
  const relays = options.relay ?? config.relays;
  const client = createRelayClient({ relays, timeoutMs: options.timeout ?? config.relayTimeoutMs });
  try {
    const ack = await client.send(envelope);
    io.stdout.write(options.json ? `${JSON.stringify({ ...ack, topic })}\n` : `${ack.id}\n`);
  } finally {
    await client.close();
  }
}

function parseData(text: string, where: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new CliError("E_INPUT", `${where}: not valid JSON: ${(cause as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError("E_INPUT", `${where}: data must be a JSON object`);
  }
  return value as JsonObject;
}
