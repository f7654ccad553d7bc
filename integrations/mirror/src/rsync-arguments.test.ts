import { describe, expect, it } from "vitest";
import { createMirrorAgent } from "./mirror-agent.js";
import { rsyncArguments } from "./rsync-arguments.js";

describe("rsyncArguments", () => {
  it.each([
    { paths: [], want: ["rsync", "-a", "/srv/master/", "/srv/mirror/"] },
    { paths: ["updates/41"], want: ["rsync", "-a", "--relative", "/srv/master/./updates/41", "/srv/mirror/"] },
    {
      paths: ["/a", "../../etc", "b/../../x", "c"],
      want: ["rsync", "-a", "--relative", "/srv/master/./a", "/srv/master/./c", "/srv/mirror/"],
    },
  ])("syncs $paths", ({ paths, want }) => {
    expect(rsyncArguments(["rsync", "-a"], "/srv/master/", "/srv/mirror", paths)).toEqual(want);
  });
});

describe("a mirror agent given hostile paths", () => {
  const agent = (log: string[], synced: string[][]) =>
    createMirrorAgent({
      role: "tier1",
      tree: "fedora",
      name: "mirror1",
      command: ["/bin/true"],
      source: "/srv/master",
      dest: "/srv/mirror",
      publish: async (message) => {
        if (message.event === "mirror.tier1.sync.start") synced.push(message.data.paths as string[]);
      },
      log: (line) => log.push(line),
    } as Parameters<typeof createMirrorAgent>[0]);

  it("keeps the strings of a list that holds a number, and never crashes", async () => {
    const [log, synced]: [string[], string[][]] = [[], []];
    const mirror = agent(log, synced);
    mirror.handle({ event: "mirror.master.in_sync", data: { tree: "fedora", paths: [42, "updates/41"] } });
    await mirror.idle();
    expect(synced).toEqual([["updates/41"]]);
  });

  it("syncs nothing, rather than the whole tree, when no path is inside it", async () => {
    const [log, synced]: [string[], string[][]] = [[], []];
    const mirror = agent(log, synced);
    mirror.handle({ event: "mirror.master.in_sync", data: { tree: "fedora", paths: ["../../etc", 7, ""] } });
    await mirror.idle();
    expect(synced).toEqual([]);
    expect(log.join("\n")).toMatch(/ignored a mirror.master.in_sync whose paths name nothing inside the tree/);
    expect(() => rsyncArguments(["rsync"], "/a", "/b", ["../x"])).toThrow(/none of the changed paths/);
  });
});
