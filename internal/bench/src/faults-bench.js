// The kill loops of the reliability work, as figures: they run as the integration tests that
// prove them (real processes, SIGKILL, a three-node RabbitMQ cluster), and each prints one line
// of what it acknowledged and what arrived. Lost messages must be 0; the figures say of how many.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../../packages/cli", import.meta.url));
const loops = [
  {
    file: "src/commands/relay-restart.int.test.ts",
    name: "relay SIGKILLed + restarted 5× under 20 publishers: acknowledged messages lost",
    pattern: /relay restarts: (\d+), acknowledged (\d+), all received; (\d+) recovered/,
    note: (m) => `${m[2]} acknowledged, ${m[3]} fetched from the journal`,
  },
  {
    file: "src/commands/store-amqp-kill.int.test.ts",
    name: "store on RabbitMQ SIGKILLed 5× in 20,000: confirmed messages lost",
    pattern: /store on RabbitMQ: (\d+) SIGKILLs in (\d+) messages, (\d+) archived once each/,
    note: (m) => `${m[2]} confirmed, ${m[3]} archived once each`,
  },
  {
    file: "src/commands/amqp-cluster.int.test.ts",
    name: "RabbitMQ cluster, 1 of 3 nodes SIGKILLed: confirmed messages lost",
    pattern: /RabbitMQ cluster: .*?; (\d+) confirmed, (\d+) archived once each/,
    note: (m) => `${m[1]} confirmed, ${m[2]} archived once each`,
  },
];

/** Runs the kill loops (section `faults`); a loop that loses a message fails its test and the bench. */
export async function benchFaults({ record, want }) {
  if (!want("faults")) return;
  const output = await new Promise((resolve, reject) => {
    const child = spawn("npx", ["vitest", "run", ...loops.map((loop) => loop.file)], {
      cwd: cli,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, CI: "true" },
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`bench: the kill loops failed (exit ${code}):\n${stdout}`)),
    );
  });
  for (const loop of loops) {
    const match = loop.pattern.exec(output);
    if (match === null) throw new Error(`bench: no figures from ${loop.file}`);
    record(loop.name, 0, "msg", loop.note(match));
  }
}
