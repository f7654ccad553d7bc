import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { listenHttp } from "@herald/sdk";
import { serveStaticFile } from "@herald/site";
import { CliError } from "../../cli-error.js";
import type { CommandIo } from "../../io.js";
import { untilStopped } from "../../signals.js";
import { stderrLogger } from "../../stderr-logger.js";

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
  const logger = stderrLogger("docs", io);
  const server = createServer((request, response) => {
    if (!serveStaticFile(dir, request, response))
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  const http = await listenHttp(server, options.port, options.host);
  logger.info(`serving ${dir} at http://${options.host}:${http.port}/`);
  const signal = await untilStopped();
  await http.close();
  logger.info(`${signal}: stopped`);
}
