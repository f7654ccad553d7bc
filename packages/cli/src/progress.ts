import cliProgress from "cli-progress";
import type { CommandIo } from "./io.js";

/** Progress of a long job: a bar on a terminal's stderr, nothing elsewhere (logs stay clean). */
export interface Progress {
  /** Sets how far the job is, in the unit of `total`. */
  update(done: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr (the `cli-progress` package), shown only when stderr is a TTY; the
 * caller prints its own summary line at the end either way.
 */
export function createProgress(io: CommandIo, total: number, unit: string): Progress {
  if (io.stderr.isTTY !== true) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr as NodeJS.WritableStream as never,
      format: `{bar} {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0);
  return { update: (done) => bar.update(Math.min(done, total)), stop: () => bar.stop() };
}
