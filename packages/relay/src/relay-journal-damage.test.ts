import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@herald/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { openRelayJournal, type RelayJournal } from "./relay-journal.js";

const folder = () => mkdtempSync(join(tmpdir(), "herald-journal-"));
const body = (n: number) => Buffer.from(JSON.stringify({ n, padding: "x".repeat(400) }));

/** A logger that keeps what it was told. */
const recorder = () => {
  const lines: string[] = [];
  const logger: Logger = {
    info: (line) => lines.push(`info ${line}`),
    warn: (line) => lines.push(`warn ${line}`),
    error: (line) => lines.push(`error ${line}`),
  };
  return { lines, logger };
};

/** A journal of `count` acknowledged messages over `topics` topics, closed. */
async function written(file: string, count: number, topics = 3) {
  const journal = openRelayJournal({ file });
  const stamps: Array<{ topic: string; id: string; sequence: number }> = [];
  for (let n = 0; n < count; n++) {
    const topic = `org.example.prod.t${n % topics}`;
    const { stamp, durable } = journal.append(topic, `id-${n}`, body(n));
    await durable;
    stamps.push({ topic, id: `id-${n}`, sequence: stamp.sequence });
  }
  const sender = journal.sender;
  await journal.close();
  return { sender, stamps };
}

/** Every (sender, topic, number) a journal gives the next message of each topic. */
const nextNumbers = (journal: RelayJournal, topics: number) =>
  Array.from({ length: topics }, (_, t) => {
    const { stamp } = journal.append(`org.example.prod.t${t}`, `new-${t}`, body(-1));
    return `${stamp.sender}/${t}/${stamp.sequence}`;
  });

describe("a damaged relay journal", () => {
  it.each([300, 64 * 1024])("says what a truncation of %i bytes cost and reuses no number", async (cut) => {
    const file = join(folder(), "relay.journal");
    const { sender, stamps } = await written(file, 400);
    truncateSync(file, statSync(file).size - cut);
    const { lines, logger } = recorder();
    const journal = openRelayJournal({ file, logger });
    // Said once, with the offset and what was dropped; the file kept for whoever looks.
    const damage = lines.filter((line) => line.startsWith("error"));
    expect(damage).toHaveLength(1);
    expect(damage[0]).toMatch(/damaged at byte \d+: .*dropped \d+ bytes/);
    expect(readdirSync(join(file, "..")).some((name) => name.startsWith("relay.journal.damaged-"))).toBe(true);
    // No (sender, topic, number) is ever given to two messages.
    const given = new Set(stamps.map(({ topic, sequence }) => `${sender}/${topic.slice(-1)}/${sequence}`));
    for (const next of nextNumbers(journal, 3)) expect(given.has(next)).toBe(false);
    // What survived is still known.
    expect(journal.has("id-0")).toBe(true);
    await journal.close();
  });

  it("stops at a record whose checksum fails, and says where", async () => {
    const file = join(folder(), "relay.journal");
    const { sender, stamps } = await written(file, 200);
    const text = readFileSync(file, "latin1");
    // One base64 character of a message in the middle flipped.
    const at = text.indexOf(" eyJ", text.indexOf('"id-100"') - 600) + 10;
    writeFileSync(
      file,
      Buffer.from(`${text.slice(0, at)}${text[at] === "A" ? "B" : "A"}${text.slice(at + 1)}`, "latin1"),
    );
    const { lines, logger } = recorder();
    const journal = openRelayJournal({ file, logger });
    expect(lines.join("\n")).toMatch(
      new RegExp(`damaged at byte ${text.lastIndexOf("\n", at) + 1}: a record's checksum`),
    );
    // The flipped body is not served as the message.
    for (const { topic, sequence } of stamps)
      for (const message of journal.range(topic, sequence, sequence, 1).messages)
        expect(JSON.parse(message.body.toString()).n).toBeGreaterThanOrEqual(0);
    expect(journal.sender).not.toBe(sender);
    await journal.close();
  });

  it("refuses a file whose header it cannot read, and leaves it untouched", async () => {
    const file = join(folder(), "relay.journal");
    await written(file, 50);
    const bytes = readFileSync(file);
    bytes[5] = bytes[5]! ^ 0x20;
    writeFileSync(file, bytes);
    expect(() => openRelayJournal({ file })).toThrow(/is not a relay journal Herald can read .*left as it is/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it("keeps a torn last record quiet in numbers but says it was dropped", async () => {
    const file = join(folder(), "relay.journal");
    const { sender } = await written(file, 20);
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from("m 1700000000000 9 org.example.prod.t0 eyJu")]));
    const { lines, logger } = recorder();
    const journal = openRelayJournal({ file, logger });
    expect(journal.sender).toBe(sender);
    expect(lines.join("\n")).toMatch(/dropped a torn last record \(\d+ bytes at byte \d+\)/);
    await journal.close();
  });
});

// A real full disk: a small tmpfs, mounted for the test. Mounting needs root (and a container
// that allows it): tried once here, and the test says so when it cannot run.
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = folder();
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const mounted: string[] = [];
afterAll(() => {
  for (const point of mounted) execFileSync("umount", [point]);
});

describe.skipIf(!canMount && process.env.CI !== "true")(
  `a relay journal on a full disk${canMount ? "" : " (skipped: needs root to mount a tmpfs)"}`,
  () => {
    it("acknowledges only what it wrote whole, says it is failing, and reopens on the full disk", async () => {
      const point = folder();
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", point]);
      mounted.push(point);
      const file = join(point, "relay.journal");
      const journal = openRelayJournal({ file });
      const acknowledged: number[] = [];
      const refused: number[] = [];
      for (let n = 0; n < 2000 && refused.length < 50; n += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, k) =>
            journal.append("org.example.prod.t0", `id-${n + k}`, body(n + k)).durable.then(
              () => acknowledged.push(n + k),
              () => refused.push(n + k),
            ),
          ),
        );
        if (refused.length > 0) expect(journal.failing).toMatch(/could not be written/);
      }
      expect(refused.length).toBeGreaterThan(0);
      for (const n of refused) journal.forget(`id-${n}`);
      await journal.close();

      const { lines, logger } = recorder();
      const again = openRelayJournal({ file, logger });
      for (const n of acknowledged) expect(again.has(`id-${n}`), `acknowledged id-${n}`).toBe(true);
      for (const n of refused) expect(again.has(`id-${n}`), `refused id-${n}`).toBe(false);
      const held = again.range("org.example.prod.t0", 1, 100_000, 100_000).messages;
      expect(held.map((message) => JSON.parse(message.body.toString()).n)).toEqual(acknowledged.sort((a, b) => a - b));
      expect(lines.filter((line) => line.startsWith("error"))).toEqual([]);
      expect(readdirSync(point).filter((name) => name.endsWith(".tmp"))).toEqual([]);
      await again.close();
    });
  },
);
