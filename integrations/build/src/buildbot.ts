import { createServer, type Server } from "node:http";
import { listenHttp } from "@herald/sdk/internal";
import type { BuildMessage } from "./run-build.js";

/** The parts of Buildbot's build dictionary (HttpStatusPush's body) that Herald reads. */
interface BuildbotBuild {
  buildid: number;
  number: number;
  started_at: number;
  complete: boolean;
  complete_at: number | null;
  state_string: string;
  results: number | null;
  url?: string;
  builder?: { name?: string };
  properties?: Record<string, [unknown, string]>;
}

// Buildbot's result codes (buildbot.process.results).
const succeeded = new Set([0, 1]); // SUCCESS, WARNINGS
const cancelled = 6; // CANCELLED

/**
 * Turns one Buildbot build report (what `reporters.HttpStatusPush` posts on a build's start and
 * end) into `buildsys.build.start` or `buildsys.build.complete`.
 * @throws Error naming the field when the body is not a Buildbot build.
 */
export function buildbotMessage(body: unknown): BuildMessage {
  const build = body as BuildbotBuild;
  for (const field of ["buildid", "number", "started_at"] as const) {
    if (typeof build?.[field] !== "number") throw new Error(`not a Buildbot build: ${field} is not a number`);
  }
  if (typeof build.complete !== "boolean") throw new Error("not a Buildbot build: complete is not true or false");
  const name = build.builder?.name ?? `builder-${build.buildid}`;
  const buildId = `${name}-${build.number}`;
  const property = (key: string) => build.properties?.[key]?.[0];
  const owners = property("owners");
  const owner =
    Array.isArray(owners) && typeof owners[0] === "string" && owners[0] !== ""
      ? { owner: owners[0].slice(0, 255) }
      : {};
  const host = typeof property("workername") === "string" ? (property("workername") as string) : "buildbot";
  if (!build.complete) {
    return {
      event: "buildsys.build.start",
      data: { build_id: buildId, name, host, started_at: new Date(build.started_at * 1000).toISOString(), ...owner },
    };
  }
  const completeAt = build.complete_at ?? build.started_at;
  const status =
    build.results === cancelled ? "cancelled" : succeeded.has(build.results ?? -1) ? "succeeded" : "failed";
  return {
    event: "buildsys.build.complete",
    data: {
      build_id: buildId,
      name,
      status,
      // Buildbot reports results per build, not the exit code of a command.
      exit_code: null,
      duration_ms: Math.max(0, Math.round((completeAt - build.started_at) * 1000)),
      finished_at: new Date(completeAt * 1000).toISOString(),
      log_tail: String(build.state_string ?? "").slice(-16384),
      ...owner,
      ...(typeof build.url === "string" && /^https?:\/\//.test(build.url) ? { url: build.url } : {}),
    },
  };
}

/** Options of {@link startBuildbotReceiver}. */
export interface BuildbotReceiverOptions {
  port: number;
  host?: string;
  publish(message: BuildMessage): Promise<void>;
  log(line: string): void;
}

/**
 * An HTTP endpoint for Buildbot's `HttpStatusPush` (`serverUrl="http://host:port/buildbot"`; any path): each POSTed
 * build is published as a buildsys message; a body that is not a build gets 400 and a reason.
 */
export function startBuildbotReceiver(
  options: BuildbotReceiverOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== "POST") {
      response.writeHead(405, { allow: "POST" }).end("POST Buildbot's HttpStatusPush reports here\n");
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      let message: BuildMessage;
      try {
        message = buildbotMessage(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (error) {
        options.log(`refused a report: ${(error as Error).message}`);
        response.writeHead(400, { "content-type": "text/plain" }).end(`${(error as Error).message}\n`);
        return;
      }
      options
        .publish(message)
        .then(() => response.writeHead(200, { "content-type": "text/plain" }).end("ok\n"))
        .catch((error: unknown) =>
          response.writeHead(502, { "content-type": "text/plain" }).end(`${(error as Error).message}\n`),
        );
    });
  });
  return listenHttp(server, options.port, options.host);
}
