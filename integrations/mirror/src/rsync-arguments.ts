/**
 * The paths of a message that name something inside the tree: strings, relative (a leading `/`
 * is dropped), with no `..` segment and no NUL. Anything else in the list is left out.
 */
export function treePaths(paths: readonly unknown[]): string[] {
  return paths
    .filter((path): path is string => typeof path === "string")
    .map((path) => path.replace(/^\/+/, ""))
    .filter((path) => path !== "" && !path.includes("\0") && !path.split("/").includes(".."));
}

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
  const safe = treePaths(paths);
  // Every path was unusable: never let that become a sync of the whole tree.
  if (safe.length === 0) throw new Error("none of the changed paths is inside the tree");
  // Built by hand: path.join would drop the "/./" that tells rsync where the relative part starts.
  const root = source.replace(/\/+$/, "");
  return [...command, "--relative", ...safe.map((path) => `${root}/./${path}`), `${dest.replace(/\/+$/, "")}/`];
}
