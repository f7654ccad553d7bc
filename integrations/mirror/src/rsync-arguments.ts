/**
 * The sync command for a set of changed paths: the user's command (`rsync -a --delete`, say) with
 * the source and destination added. With paths, only those subtrees are copied, each to the same
 * place under the destination (rsync's `--relative` with a `/./` anchor in the source); without
 * paths (unknown), the whole tree.
 */
export function rsyncArguments(
  command: readonly string[],
  source: string,
  dest: string,
  paths: readonly string[],
): string[] {
  if (paths.length === 0) return [...command, `${source.replace(/\/+$/, "")}/`, `${dest.replace(/\/+$/, "")}/`];
  const safe = paths
    .map((path) => path.replace(/^\/+/, ""))
    .filter((path) => path !== "" && !path.split("/").includes(".."));
  // Built by hand: path.join would drop the "/./" that tells rsync where the relative part starts.
  const root = source.replace(/\/+$/, "");
  return [...command, "--relative", ...safe.map((path) => `${root}/./${path}`), `${dest.replace(/\/+$/, "")}/`];
}
