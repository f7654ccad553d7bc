import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const bin = "/usr/lib/rabbitmq/bin";

/** Whether a RabbitMQ cluster can be started here: always in CI (missing, the test fails), else when Debian's package is installed. */
export function rabbitmqClusterAvailable(): boolean {
  return process.env.CI === "true" || existsSync(join(bin, "rabbitmq-server"));
}

/** Three RabbitMQ nodes of one cluster, started by a test from Debian's package. */
export interface RabbitCluster {
  /** `amqp://guest:guest@localhost:<port>` of each node, in order. */
  urls: string[];
  /** SIGKILLs node `n` (0-based): its Erlang VM dies with it. */
  kill(n: number): Promise<void>;
  /** Starts node `n` again; resolves once it runs and rejoined the cluster. */
  start(n: number): Promise<void>;
  /** Stops every node. */
  stop(): Promise<void>;
}

/**
 * Starts three nodes (own node names, ports, data folders; one Erlang cookie; no plugins) and
 * clusters them: about 20 s. The guest user may log in from localhost, as on one node.
 */
export async function startRabbitCluster(): Promise<RabbitCluster> {
  const base = mkdtempSync(join(tmpdir(), "herald-rabbit-"));
  const home = join(base, "home");
  mkdirSync(home);
  writeFileSync(join(home, ".erlang.cookie"), `HERALDTEST${Date.now()}`, { mode: 0o400 });
  writeFileSync(join(base, "plugins"), "[].\n");
  const offset = 5700 + Math.floor(Math.random() * 40) * 5;
  const name = (n: number) => `herald${offset + n}@localhost`;
  const env = (n: number) => ({
    ...process.env,
    HOME: home,
    RABBITMQ_NODENAME: name(n),
    RABBITMQ_NODE_PORT: String(offset + n),
    RABBITMQ_DIST_PORT: String(20_000 + offset + n),
    RABBITMQ_MNESIA_BASE: join(base, `node${n}`, "mnesia"),
    RABBITMQ_LOG_BASE: join(base, `node${n}`, "log"),
    RABBITMQ_PID_FILE: join(base, `node${n}.pid`),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(base, "plugins"),
    RABBITMQ_CONFIG_FILE: join(base, "rabbitmq"),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(base, "advanced.config"),
    RABBITMQ_GENERATED_CONFIG_DIR: join(base, `node${n}`, "config"),
    RABBITMQ_CONF_ENV_FILE: "/dev/null",
  });
  writeFileSync(join(base, "rabbitmq.conf"), "");
  const ctl = (n: number, ...args: string[]) =>
    run(join(bin, "rabbitmqctl"), ["-n", name(n), ...args], { env: env(n), timeout: 90_000 });
  const start = async (n: number) => {
    await run(join(bin, "rabbitmq-server"), ["-detached"], { env: env(n) });
    await ctl(n, "wait", join(base, `node${n}.pid`), "--timeout", "80");
  };
  const nodes = [0, 1, 2];
  await Promise.all(nodes.map(start));
  for (const n of [1, 2]) {
    await ctl(n, "stop_app");
    await ctl(n, "join_cluster", name(0));
    await ctl(n, "start_app");
  }
  return {
    urls: nodes.map((n) => `amqp://guest:guest@localhost:${offset + n}`),
    async kill(n) {
      const pid = Number(readFileSync(join(base, `node${n}.pid`), "utf8").trim());
      process.kill(pid, "SIGKILL");
      // The VM is gone once its distribution port no longer answers.
      for (let tries = 0; tries < 50; tries++) {
        try {
          process.kill(pid, 0);
        } catch {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    start,
    async stop() {
      await Promise.all(nodes.map((n) => ctl(n, "stop").catch(() => {})));
    },
  };
}
