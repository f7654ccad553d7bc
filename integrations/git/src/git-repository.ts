import { execFileSync } from "node:child_process";
import { basename } from "node:path";

/** Runs git commands against one repository (a bare one on the server, inside its hook). */
export interface GitRepository {
  readonly gitDir: string;
  /** The repository's name: the folder's name without `.git`. */
  readonly name: string;
  git(args: string[]): string;
}

/** Opens a repository by its git directory. */
export function openRepository(gitDir: string): GitRepository {
  return {
    gitDir,
    name: basename(gitDir).replace(/\.git$/, ""),
    git: (args) =>
      execFileSync("git", args, {
        env: { ...process.env, GIT_DIR: gitDir },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        stdio: ["ignore", "pipe", "pipe"],
      }),
  };
}
