import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { listenHttp } from "@herald/sdk/internal";
import { serveStaticFile } from "@herald/site";
import { Option } from "commander";
import { CliError } from "../../cli-error.js";
import { port } from "../../cli-options.js";
import { defineCommand } from "../../define-command.js";
import type { CommandIo } from "../../io.js";
import { runService } from "../../run-service.js";

/** Flags of `herald docs serve`. */
export interface DocsServeOptions {
  dir: string;
  port: number;
  host: string;
}

/** `herald docs serve`: serves a built site on localhost until SIGINT or SIGTERM. */
export async function runDocsServe(options: DocsServeOptions, io: CommandIo): Promise<void> {
  const dir = resolve(io.cwd, options.dir);
  if (!existsSync(join(dir, "index.html")))
    throw new CliError("E_USAGE", `no site in ${dir}: run herald docs build --out ${options.dir} first`);
  await runService(io, "docs", undefined, async () => {
    const server = createServer((request, response) => {
      if (!serveStaticFile(dir, request, response))
        response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    });
    const http = await listenHttp(server, options.port, options.host);
    return { ready: `serving ${dir} at http://${options.host}:${http.port}/`, close: () => http.close() };
  });
}

/** `herald docs serve`: its arguments and flags, beside the function that runs it. */
export const docsServeCommand = defineCommand({
  configure: (command) =>
    command
      .option("--dir <dir>", "the built site", "docs/site")
      .addOption(new Option("--port <port>", "port (0: any free one)").argParser(port).default(8080))
      .option("--host <host>", "address to listen on", "127.0.0.1"),
  action: (io) => (options) => runDocsServe(options, io),
});
