import { type Command, Option } from "commander";
import { collect, port, positiveInteger, withConfig } from "./cli-options.js";
import type { CommandIo } from "./io.js";

/** Registers the commands for browsers: `gateway` (the live monitor) and `docs build`, `docs serve`. */
export function addWebCommands(program: Command, io: CommandIo): void {
  withConfig(
    program
      .command("gateway")
      .description("Stream verified messages to browsers over WebSocket, with the live monitor and the docs site.")
      .option("--connect <address>", "bus address (repeatable; default: every configured endpoint)", collect)
      .option("--topic <pattern>", "what to stream at most (repeatable; default #: browsers filter further)", collect)
      .addOption(new Option("--http <port>", "port for the monitor and /stream").argParser(port).default(9944))
      .option("--host <host>", "address to listen on", "127.0.0.1")
      .addOption(
        new Option(
          "--limit <n>",
          "messages that may wait for one browser before its oldest are dropped (default 1000)",
        ).argParser(positiveInteger),
      )
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "stream unverified messages too, marked as such"),
  ).action(async (options) => (await import("./commands/gateway.js")).runGateway(options, io));

  const docs = program.command("docs").description("The topic documentation site, generated from the registry.");
  docs
    .command("build")
    .description("Generate the static site (a page per topic, search, asyncapi.json) and check its links.")
    .option("--out <dir>", "where to write it", "docs/site")
    .option("--no-check-links", "skip the link check")
    .option("--json", "print what was written as JSON")
    .action(async (options) => (await import("./commands/docs/build.js")).runDocsBuild(options, io));
  docs
    .command("serve")
    .description("Serve a built site on this machine.")
    .option("--dir <dir>", "the built site", "docs/site")
    .addOption(new Option("--port <port>", "port (0: any free one)").argParser(port).default(8080))
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .action(async (options) => (await import("./commands/docs/serve.js")).runDocsServe(options, io));
}
