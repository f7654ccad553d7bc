import { spawn } from "node:child_process";
import type { TopicMap } from "@herald/schemas";
import { rsyncArguments, treePaths } from "./rsync-arguments.js";

/** A received message, as much of it as the agent needs. */
export interface MirrorTrigger {
  event: string;
  data: Record<string, unknown>;
}

/** A message the agent publishes. */
export type MirrorMessage =
  | { event: "mirror.tier1.sync.start"; data: TopicMap["mirror.tier1.sync.start"] }
  | { event: "mirror.tier1.sync.complete"; data: TopicMap["mirror.tier1.sync.complete"] };

/** Options of {@link createMirrorAgent}. */
export interface MirrorAgentOptions {
  /** tier1 pulls from the master on `mirror.master.in_sync`; tier2 pulls from its tier-1 on its `sync.complete`. */
  role: "tier1" | "tier2";
  /** This mirror's name (announced by a tier-1 in its messages). */
  name: string;
  /** The tree mirrored, e.g. `fedora`. */
  tree: string;
  /** For a tier-2: the tier-1 mirror it follows. */
  tier1?: string;
  source: string;
  dest: string;
  /** The sync command without source and destination, e.g. `["rsync", "-a", "--delete"]`. */
  command: readonly string[];
  publish(message: MirrorMessage): Promise<void>;
  log(line: string): void;
}

/** The trigger's event for a role. */
export function triggerEvent(role: "tier1" | "tier2"): string {
  return role === "tier1" ? "mirror.master.in_sync" : "mirror.tier1.sync.complete";
}

/**
 * The agent's decisions: which messages trigger a sync (the master in sync for a tier-1; its own
 * tier-1's successful completion for a tier-2, same tree), one sync at a time, triggers that
 * arrive meanwhile merged into the next run (their paths added together; an unknown set means
 * everything).
 */
export function createMirrorAgent(options: MirrorAgentOptions) {
  let running: Promise<void> | undefined;
  let queued: Set<string> | "everything" | undefined;

  const accepts = ({ event, data }: MirrorTrigger): boolean => {
    if (event !== triggerEvent(options.role) || data.tree !== options.tree) return false;
    return options.role === "tier1" || (data.mirror === options.tier1 && data.status === "succeeded");
  };

  const syncOnce = async (paths: string[]) => {
    const started = Date.now();
    if (options.role === "tier1")
      await options.publish({
        event: "mirror.tier1.sync.start",
        data: { tree: options.tree, paths, mirror: options.name },
      });
    const argv = rsyncArguments(options.command, options.source, options.dest, paths);
    options.log(`syncing ${paths.length === 0 ? "everything" : paths.join(", ")}: ${argv.join(" ")}`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["ignore", "inherit", "inherit"] });
      child.on("error", (error) => {
        options.log(`cannot run ${argv[0]}: ${error.message}`);
        resolve(127);
      });
      child.on("close", (exitCode) => resolve(exitCode ?? 1));
    });
    options.log(`sync ${code === 0 ? "succeeded" : `failed (exit ${code})`}`);
    if (options.role === "tier1") {
      await options.publish({
        event: "mirror.tier1.sync.complete",
        data: {
          tree: options.tree,
          paths,
          mirror: options.name,
          status: code === 0 ? "succeeded" : "failed",
          duration_ms: Date.now() - started,
        },
      });
    }
  };

  const drain = async () => {
    while (queued !== undefined) {
      const paths = queued === "everything" ? [] : [...queued].sort();
      queued = undefined;
      await syncOnce(paths);
    }
    running = undefined;
  };

  return {
    accepts,
    /** Handles one received message; resolves when it was taken into account (not when the sync ends). */
    handle(trigger: MirrorTrigger): void {
      if (!accepts(trigger)) return;
      const given: unknown[] = Array.isArray(trigger.data.paths) ? trigger.data.paths : [];
      const paths = treePaths(given);
      // A list whose every entry is unusable (not a string, `..`, empty) syncs nothing rather than everything.
      if (given.length > 0 && paths.length === 0) {
        options.log(
          `ignored a ${trigger.event} whose paths name nothing inside the tree: ${JSON.stringify(given).slice(0, 200)}`,
        );
        return;
      }
      if (paths.length === 0 || queued === "everything") queued = "everything";
      else queued = new Set([...(queued ?? []), ...paths]);
      running ??= drain();
    },
    /** Resolves once no sync is running or queued. */
    idle: () => running ?? Promise.resolve(),
  };
}
