import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { appAvailable } from "./debian-apps.js";

/** A real desktop session for a test: a D-Bus session bus, an X server (Xvfb) and a notification daemon (dunst). */
export interface TestDesktop {
  /** `DISPLAY` and `DBUS_SESSION_BUS_ADDRESS`, for the processes that should notify on it. */
  env: Record<string, string>;
  /** The notifications the daemon received (closing them first, so they are in its history): summary and body. */
  notifications(): { appname: string; summary: string; body: string }[];
  stop(): void;
}

/** Whether Debian's Xvfb, dbus and dunst are here (CI installs them; elsewhere the test is skipped). */
export function desktopAvailable(): boolean {
  return appAvailable("desktop");
}

function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start`)), 10_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf("\n");
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, newline).trim());
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Starts dbus-daemon, Xvfb and dunst, and waits until dunst answers on the bus. */
export async function startDesktop(): Promise<TestDesktop> {
  const xvfb = spawn("Xvfb", ["-displayfd", "1", "-screen", "0", "800x600x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const display = `:${await firstLine(xvfb, "Xvfb")}`;
  // The bus knows the display too: a service it starts on demand (dunst) must find it.
  const dbus = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1"], {
    env: { ...process.env, DISPLAY: display },
    stdio: ["ignore", "pipe", "ignore"],
  });
  const address = await firstLine(dbus, "dbus-daemon");
  const env = { DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: address };
  const dunst = spawn("dunst", [], { env: { ...process.env, ...env }, stdio: "ignore" });
  const dunstctl = (...args: string[]) =>
    execFileSync("dunstctl", args, {
      env: { ...process.env, ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  for (let tries = 0; ; tries++) {
    try {
      dunstctl("count", "displayed");
      break;
    } catch (error) {
      if (tries > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    env,
    notifications() {
      dunstctl("close-all");
      const history = JSON.parse(dunstctl("history")) as { data: Record<string, { data: string }>[][] };
      return (history.data[0] ?? [])
        .map((entry) => ({
          appname: entry.appname?.data ?? "",
          summary: entry.summary?.data ?? "",
          body: entry.body?.data ?? "",
        }))
        .reverse();
    },
    stop() {
      for (const child of [dunst, xvfb, dbus]) child.kill("SIGTERM");
    },
  };
}
