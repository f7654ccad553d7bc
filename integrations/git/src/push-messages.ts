import type { TopicMap } from "@herald/schemas";
import { commitData } from "./commit-data.js";
import type { GitRepository } from "./git-repository.js";
import { isZero, type RefUpdate } from "./ref-updates.js";

/** One message to publish: a schema name of the git app and its data. */
export type GitMessage = {
  [K in keyof TopicMap & `git.${string}`]: { event: K; data: TopicMap[K] };
}[keyof TopicMap & `git.${string}`];

/** Options of {@link messagesForPush}. */
export interface PushOptions {
  /** Who pushed: the hosting tool's user, else the system user. */
  pusher: string;
  /** At most this many git.receive messages per push; past it, `git.push.complete` says `truncated`. */
  maxCommits?: number;
}

/**
 * The messages of one push, in order: per branch a `git.branch.create` when it is new, one
 * `git.receive` per commit the push brought (oldest first, up to `maxCommits` for the whole push),
 * `git.branch.delete` and `git.tag.create` as refs came and went, then one `git.push.complete`.
 * Force pushes announce only the commits that are new to the branch.
 */
export function messagesForPush(
  repo: GitRepository,
  updates: readonly RefUpdate[],
  options: PushOptions,
): GitMessage[] {
  const maxCommits = options.maxCommits ?? 500;
  const username = options.pusher;
  const messages: GitMessage[] = [];
  const refs: TopicMap["git.push.complete"]["refs"] = [];
  let commits = 0;
  let published = 0;

  for (const update of updates) {
    const branch = update.ref.startsWith("refs/heads/") ? update.ref.slice("refs/heads/".length) : undefined;
    const tag = update.ref.startsWith("refs/tags/") ? update.ref.slice("refs/tags/".length) : undefined;
    let count = 0;
    let forced = false;
    if (branch !== undefined && isZero(update.new)) {
      messages.push({ event: "git.branch.delete", data: { repo: repo.name, branch, rev: update.old, username } });
    } else if (branch !== undefined) {
      if (isZero(update.old))
        messages.push({ event: "git.branch.create", data: { repo: repo.name, branch, rev: update.new, username } });
      else forced = !isAncestor(repo, update.old, update.new);
      const revs = newCommits(repo, update);
      count = revs.length;
      for (const rev of revs) {
        if (published >= maxCommits) break;
        messages.push({ event: "git.receive", data: { commit: commitData(repo, rev, branch, username) } });
        published++;
      }
    } else if (tag !== undefined && !isZero(update.new)) {
      const rev = repo.git(["rev-parse", `${update.new}^{commit}`]).trim();
      const annotation = repo.git(["for-each-ref", "--format=%(contents)", update.ref]).trimEnd();
      messages.push({
        event: "git.tag.create",
        data: {
          repo: repo.name,
          tag,
          rev,
          username,
          ...(annotation === "" ? {} : { annotation: annotation.slice(0, 65536) }),
        },
      });
    }
    commits += count;
    refs.push({ ref: update.ref, old: update.old, new: update.new, commits: count, forced });
  }
  messages.push({
    event: "git.push.complete",
    data: { repo: repo.name, username, refs, commits, published, truncated: published < commits },
  });
  return messages;
}

/** Commits a branch update brought that the repository did not have on any other branch. */
function newCommits(repo: GitRepository, update: RefUpdate): string[] {
  const others = repo
    .git(["for-each-ref", "--format=%(refname)", "refs/heads/"])
    .split("\n")
    .filter((ref) => ref !== "" && ref !== update.ref);
  const args = ["rev-list", "--reverse", update.new, ...(isZero(update.old) ? [] : [`^${update.old}`])];
  if (others.length > 0) args.push("--not", ...others);
  return repo.git(args).split("\n").filter(Boolean);
}

function isAncestor(repo: GitRepository, old: string, next: string): boolean {
  try {
    repo.git(["merge-base", "--is-ancestor", old, next]);
    return true;
  } catch {
    return false;
  }
}
