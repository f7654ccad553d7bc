import { userInfo } from "node:os";
import { resolve } from "node:path";
import { messagesForPush, openRepository, parseRefUpdates } from "@herald/integration-git";
import { CliError } from "../cli-error.js";
import { withConfig } from "../cli-options.js";
import { configFor } from "../config-flag.js";
import { defineCommand } from "../define-command.js";
import { integrationDeliverer } from "../deliver.js";
import { type CommandIo, readAll } from "../io.js";

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
  const deliverer = integrationDeliverer(config, io);
  try {
    for (const message of messages) await deliverer.deliver(message);
  } finally {
    await deliverer.close();
  }
  const { sent, queued, refused } = deliverer.report;
  io.stderr.write(
    `herald: published ${sent} message(s) for this push${queued ? `, queued ${queued}` : ""}${refused ? `, ${refused} refused` : ""}\n`,
  );
}

/** `herald git-hook`: its arguments and flags, beside the function that runs it. */
export const gitHookCommand = defineCommand({
  configure: (command) => withConfig(command.argument("<hook>", "post-receive")),
  action: (io) => (hook, options) => runGitHook(hook, options, io),
});
