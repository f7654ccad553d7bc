import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openRelayJournal } from "./relay-journal.js";

const file = () => join(mkdtempSync(join(tmpdir(), "herald-journal-")), "relay.journal");
const body = (n: number) => Buffer.from(JSON.stringify({ n }));

describe("the relay journal", () => {
  it("keeps its sender id, numbers, ids and bodies across a reopen", async () => {
    const path = file();
    const journal = openRelayJournal({ file: path });
    const first = journal.append("a.b.c.d", "id-1", body(1));
    journal.isRepeat("id-1");
    journal.append("a.b.c.d", "id-2", body(2));
    journal.append("a.b.c.e", "id-3", body(3));
    await first.durable;
    expect(first.stamp).toEqual({ sender: journal.sender, sequence: 1 });
    await journal.close();

    const again = openRelayJournal({ file: path });
    expect(again.sender).toBe(journal.sender);
    expect(again.has("id-2")).toBe(true);
    expect(again.append("a.b.c.d", "id-4", body(4)).stamp.sequence).toBe(3);
    const range = again.range("a.b.c.d", 2, 3, 10);
    expect(range.messages.map((m) => [m.sequence, JSON.parse(m.body.toString()).n])).toEqual([
      [2, 2],
      [3, 4],
    ]);
    expect(range).toMatchObject({ heldFrom: 1, latest: 3 });
    await again.close();
  });

  it("skips a torn last line (never acknowledged) and forgets what failed to republish", async () => {
    const path = file();
    const journal = openRelayJournal({ file: path });
    await journal.append("a.b.c.d", "kept", body(1)).durable;
    await journal.append("a.b.c.d", "failed", body(2)).durable;
    journal.forget("failed");
    await journal.close();
    appendFileSync(path, "m 1700000000000 3 a.b.c.d eyJu");

    const again = openRelayJournal({ file: path });
    expect(again.has("kept")).toBe(true);
    expect(again.has("failed")).toBe(false);
    expect(again.range("a.b.c.d", 1, 10, 10).messages.map((m) => m.sequence)).toEqual([1, 2]);
    await again.close();
    // Compacted on open: still forgotten after another reopen.
    expect(openRelayJournal({ file: path }).has("failed")).toBe(false);
  });

  it("lets old bodies go past its bound but keeps their ids and the count", async () => {
    const path = file();
    const journal = openRelayJournal({ file: path, maxBodyBytes: 100 });
    for (let n = 1; n <= 50; n++) journal.append("a.b.c.d", `id-${n}`, body(n));
    await journal.close();
    const again = openRelayJournal({ file: path, maxBodyBytes: 100 });
    const range = again.range("a.b.c.d", 1, 50, 100);
    expect(range.heldFrom).toBeGreaterThan(30);
    expect(range.messages.at(-1)?.sequence).toBe(50);
    expect(again.has("id-1")).toBe(true);
    expect(again.append("a.b.c.d", "id-51", body(51)).stamp.sequence).toBe(51);
    await again.close();
    expect(
      readFileSync(path, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("m ")).length,
    ).toBeLessThan(15);
  });
});
