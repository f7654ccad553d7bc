import { type StatWatcher, unwatchFile, watchFile } from "node:fs";
import type { Logger } from "./logger.js";
import { loadTrustFile, type TrustedKey, type TrustStore } from "./trust.js";

/** A trust store that follows its file: what a long-running process verifies with. */
export interface ReloadingTrustStore extends TrustStore {
  /**
   * Reads the file again and, when it is right, believes its keys from now on, logging the keys
   * added, removed and changed; when it cannot be read or is wrong, says so and keeps the keys it
   * had. What `SIGHUP` and a change on disk call.
   */
  reload(): void;
  /** Stops watching the file. */
  close(): void;
}

/** What of a key decides what it may sign: a change to any is logged as a change. */
const fingerprint = (key: TrustedKey) =>
  JSON.stringify([
    key.publicKeyBase64,
    key.topics.map((topic) => topic.source),
    key.notBefore,
    key.notAfter,
    key.revoked,
  ]);

/**
 * Loads a trust file and keeps it current: the file is checked for changes every `intervalMs`
 * (default one second; polling, so an editor's save-by-rename and a file replaced by
 * configuration management are both seen), and {@link ReloadingTrustStore.reload} reads it at
 * once (the CLI's services call it on `SIGHUP`). A message is verified with the keys of the
 * moment it arrives; nothing is restarted.
 * @throws HeraldError `E_TRUST` when the file cannot be read or is wrong at start.
 */
export function watchTrustFile(file: string, options: { logger: Logger; intervalMs?: number }): ReloadingTrustStore {
  let current = loadTrustFile(file);
  const reload = () => {
    let next: TrustStore;
    try {
      next = loadTrustFile(file);
    } catch (error) {
      options.logger.error(`trust file not reloaded, the keys stay as they were: ${(error as Error).message}`);
      return;
    }
    const before = new Map((current.keyids?.() ?? []).map((keyid) => [keyid, fingerprint(current.get(keyid)!)]));
    const after = new Map((next.keyids?.() ?? []).map((keyid) => [keyid, fingerprint(next.get(keyid)!)]));
    const added = [...after.keys()].filter((keyid) => !before.has(keyid));
    const removed = [...before.keys()].filter((keyid) => !after.has(keyid));
    const changed = [...after.keys()].filter((keyid) => before.has(keyid) && before.get(keyid) !== after.get(keyid));
    current = next;
    const list = (keyids: string[]) => (keyids.length === 0 ? "none" : keyids.join(", "));
    options.logger.info(
      `trust file ${file} reloaded: ${after.size} key(s); added ${list(added)}; removed ${list(removed)}; changed ${list(changed)}`,
    );
  };
  const watcher: StatWatcher = watchFile(
    file,
    { interval: options.intervalMs ?? 1000, persistent: false },
    (now, before) => {
      if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) reload();
    },
  );
  return {
    get origin() {
      return current.origin;
    },
    get size() {
      return current.size;
    },
    get: (keyid) => current.get(keyid),
    keyids: () => current.keyids?.() ?? [],
    reload,
    close() {
      watcher.removeAllListeners();
      unwatchFile(file);
    },
  };
}
