// Child processes of the benchmark: the `herald` command and the flood publisher.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The `herald` command of this checkout. */
export const heraldBin = fileURLToPath(new URL("../../../packages/cli/bin/herald.js", import.meta.url));

/** A loopback TCP address with a port that was free a moment ago. */
export async function freeAddress() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(`tcp://127.0.0.1:${port}`));
    });
  });
}

/** Runs `node script ...args` to completion; resolves with its stdout. */
export function runProcess(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve({ stdout }) : reject(new Error(`bench: ${script} exited ${code}`)),
    );
  });
}

/** Starts `node script ...args`, discarding stdout; `exitedAt` is set when it exits. */
export function startProcess(script, args, env = process.env) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "ignore", "pipe"], env });
  let stderr = "";
  const waiters = new Set();
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    for (const check of waiters) check();
  });
  const handle = {
    child,
    exitedAt: 0,
    exited: new Promise((resolve) =>
      child.on("close", (code) => {
        handle.exitedAt = Date.now();
        resolve(code);
      }),
    ),
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const check = () => {
          if (!pattern.test(stderr)) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
  return handle;
}
