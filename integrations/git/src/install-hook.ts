import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const marker = "# herald: installed by `herald integrations install git`";

/** What {@link installPostReceiveHook} did. */
export interface InstallResult {
  hook: string;
  /** The hook that was there before, now run first by ours. */
  chained?: string;
  /** True when our hook was already installed and was only rewritten. */
  reinstalled: boolean;
}

/**
 * Installs the post-receive hook into a repository's `hooks/` folder. A hook already there is
 * kept as `post-receive.chained` and run first with the same input, its exit status kept. The
 * hook never fails the push: if publishing fails it says so on stderr and the spool keeps the
 * messages.
 * @param command the command line that publishes: `["herald"]` (found on the hook's PATH, to which
 *   /usr/local/bin is added) or an absolute path.
 * @throws Error when the folder is not a git repository.
 */
export function installPostReceiveHook(
  gitDir: string,
  command: readonly string[],
  env: Record<string, string> = {},
): InstallResult {
  const hooks = join(gitDir, "hooks");
  if (!existsSync(join(gitDir, "HEAD")) || !existsSync(hooks) || !statSync(hooks).isDirectory()) {
    throw new Error(`${gitDir} is not a git repository (no HEAD and hooks/)`);
  }
  const hook = join(hooks, "post-receive");
  const chained = join(hooks, "post-receive.chained");
  const existing = existsSync(hook) ? readFileSync(hook, "utf8") : undefined;
  const reinstalled = existing?.includes(marker) === true;
  if (existing !== undefined && !reinstalled) {
    if (existsSync(chained)) throw new Error(`${chained} exists already: resolve it by hand`);
    renameSync(hook, chained);
  }
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const exports = Object.entries(env)
    .map(([name, value]) => `export ${name}=${quote(value)}\n`)
    .join("");
  writeFileSync(
    hook,
    `#!/bin/sh
${marker}
# Publishes each push on the Herald bus. A hook that was here before runs first as post-receive.chained.
${exports}# npm install -g puts herald in /usr/local/bin, which a git server's PATH may lack.
PATH="$PATH:/usr/local/bin"
export PATH
hooks="$(dirname "$0")"
input="$(cat)"
status=0
if [ -x "$hooks/post-receive.chained" ]; then
  printf '%s\\n' "$input" | "$hooks/post-receive.chained" "$@" || status=$?
fi
printf '%s\\n' "$input" | ${command.map(quote).join(" ")} git-hook post-receive || true
exit $status
`,
  );
  chmodSync(hook, 0o755);
  return { hook, ...(existsSync(chained) ? { chained } : {}), reinstalled };
}
