import { describe, expect, it } from "vitest";
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
