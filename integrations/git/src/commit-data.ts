import type { GitReceiveV1 } from "@herald/schemas";
import type { GitRepository } from "./git-repository.js";

/** The `commit` of a git.receive message for one revision: author, summary, message, stats. */
export function commitData(repo: GitRepository, rev: string, branch: string, pusher: string): GitReceiveV1["commit"] {
  const [, authorName = "", authorEmail = "", summary = "", message = ""] = repo
    .git(["show", "-s", "--format=%H%x00%an%x00%ae%x00%s%x00%B", rev])
    .split("\u0000");
  // A Map, not an object: a file named `__proto__` (or `constructor`) is a file like any other.
  const files = new Map<string, { additions: number; deletions: number }>();
  let additions = 0;
  let deletions = 0;
  // --numstat prints "<added>\t<deleted>\t<path>"; binary files print "-" for both.
  for (const line of repo.git(["show", "--numstat", "--format=", "--no-renames", rev]).split("\n")) {
    const [added, deleted, path] = line.split("\t");
    if (path === undefined || added === undefined || deleted === undefined) continue;
    const fileAdditions = added === "-" ? 0 : Number(added);
    const fileDeletions = deleted === "-" ? 0 : Number(deleted);
    files.set(path, { additions: fileAdditions, deletions: fileDeletions });
    additions += fileAdditions;
    deletions += fileDeletions;
  }
  return {
    repo: repo.name,
    branch,
    rev,
    summary: summary.slice(0, 1000),
    message: message.trimEnd().slice(0, 65536),
    username: pusher,
    author: { name: authorName.slice(0, 255), email: authorEmail.slice(0, 255) },
    // fromEntries defines own properties, `__proto__` included, which JSON.stringify then writes.
    stats: {
      files: Object.fromEntries(files) as GitReceiveV1["commit"]["stats"]["files"],
      total: { additions, deletions, files: files.size },
    },
  };
}
