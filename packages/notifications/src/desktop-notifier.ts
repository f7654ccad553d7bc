import { spawn } from "node:child_process";
import type { Presentation } from "@herald/schemas";

/** Shows one notification on this desktop; resolves false when no notification service is here. */
export type DesktopNotifier = (title: string, presentation: Presentation) => Promise<boolean>;

const urgency = { debug: "low", info: "normal", warning: "normal", error: "critical" } as const;

/**
 * The system's notification service through `notify-send` (libnotify, the freedesktop.org
 * notification spec every Linux desktop implements), or `osascript` on macOS. Arguments go
 * straight to the program, never through a shell.
 */
export function systemNotifier(platform = process.platform): DesktopNotifier {
  return (title, presentation) => {
    const body =
      presentation.link === undefined ? presentation.summary : `${presentation.summary}\n${presentation.link}`;
    const [command, args] =
      platform === "darwin"
        ? [
            "osascript",
            [
              "-e",
              "on run argv",
              "-e",
              "display notification (item 2 of argv) with title (item 1 of argv)",
              "-e",
              "end run",
              title,
              body,
            ],
          ]
        : [
            "notify-send",
            [
              "--app-name=Herald",
              `--urgency=${urgency[presentation.severity]}`,
              `--icon=${presentation.icon}`,
              title,
              body,
            ],
          ];
    return new Promise((resolve) => {
      const child = spawn(command as string, args as string[], { stdio: "ignore" });
      child.once("error", () => resolve(false));
      child.once("close", (code) => resolve(code === 0));
    });
  };
}
