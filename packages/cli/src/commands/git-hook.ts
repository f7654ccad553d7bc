import { userInfo } from "node:os";
import { resolve } from "node:path";
import { messagesForPush, openRepository, parseRefUpdates } from "@herald/integration-git";
import { createSchemaRegistry } from "@herald/schemas";
import { createEnvelope, createRelayClient, createSpool, type Envelope, HeraldError, signEnvelope } from "@herald/sdk";
import { CliError } from "../cli-error.js";
import { configFor } from "../config-flag.js";
import { type CommandIo, readAll } from "../io.js";
import { signingKeyFrom } from "./sign.js";

/** The user who pushed, as the hosting tools name them, else the system user. */
function pusherFrom(env: Record<string, string | undefined>): string {
  return (
    env.HERALD_PUSHER ?? env.GL_USERNAME ?? env.GITEA_PUSHER_NAME ?? env.REMOTE_USER ?? env.USER ?? userInfo().username
  );
}

/**
 * `herald git-hook post-receive`: what the installed hook runs. Publishes the push through the
 * relays; when none answers, queues the rest in the spool and says so on stderr. Exits 0 so the
 * push is never reported as failed (the messages are not lost: they are queued).
 */
export async function runGitHook(hook: string, options: { config?: string }, io: CommandIo): Promise<void> {
  if (hook !== "post-receive")
    throw new CliError("E_USAGE", `unknown hook ${JSON.stringify(hook)}: known: post-receive`);
  const config = configFor(options, io);
  const repo = openRepository(resolve(io.cwd, io.env.GIT_DIR ?? "."));
  const maxCommits = Number(io.env.HERALD_GIT_MAX_COMMITS ?? 500);
  const messages = messagesForPush(repo, parseRefUpdates(await readAll(io.stdin)), {
    pusher: pusherFrom(io.env),
    maxCommits,
  });
  const key = signingKeyFrom({}, io);
  const registry = createSchemaRegistry();
  const envelopes: Envelope[] = messages.map(({ event, data }) => {
    const schema = registry.latest(event);
    const check = schema?.check(data);
    if (schema === undefined || check === undefined || !check.ok) {
      throw new CliError(
        "E_INPUT",
        `git hook built invalid ${event} data: ${check && !check.ok ? `${check.path} ${check.message}` : "no schema"}: this is a bug`,
      );
    }
    const envelope = createEnvelope({
      topic: `${config.prefix}.${config.environment}.${event}`,
      data: data as never,
      dataschema: schema.dataschema,
      ...(config.source === undefined ? {} : { source: config.source }),
    });
    return key === undefined ? envelope : signEnvelope(envelope, key);
  });

  const client = createRelayClient({ relays: config.relays, timeoutMs: config.relayTimeoutMs });
  let queued = 0;
  try {
    for (const [index, envelope] of envelopes.entries()) {
      try {
        await client.send(envelope);
      } catch (error) {
        if (HeraldError.isInstance(error) && error.code === "E_RELAY_UNREACHABLE") {
          const spool = createSpool(config.spoolDir);
          for (const rest of envelopes.slice(index)) spool.add(rest);
          queued = envelopes.length - index;
          io.stderr.write(
            `herald: ${error.message}; queued ${queued} message(s) in ${spool.dir} (herald spool flush delivers them)\n`,
          );
          break;
        }
        io.stderr.write(`herald: ${(error as Error).message}\n`);
      }
    }
  } finally {
    await client.close();
  }
  if (queued === 0) io.stderr.write(`herald: published ${envelopes.length} message(s) for this push\n`);
}
