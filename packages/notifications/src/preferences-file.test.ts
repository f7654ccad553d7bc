import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPreferencesStore } from "./preferences-store.js";

describe("the preferences file", () => {
  it("is readable by its owner only, new or not, with its WAL files: it holds the link secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-prefs-"));
    const old = join(dir, "old.sqlite");
    writeFileSync(old, "", { mode: 0o644 });
    for (const file of [join(dir, "new.sqlite"), old]) {
      const store = await openPreferencesStore(`sqlite:${file}`);
      await store.secret();
      await store.setContact("alice", { email: "alice@example.org" });
      for (const path of [file, `${file}-wal`, `${file}-shm`])
        expect([path, statSync(path).mode & 0o777]).toEqual([path, 0o600]);
      await store.close();
    }
  });
});
