import {
  createCleanup,
  desktopAvailable,
  publishWithHerald,
  startDesktop,
  startHerald,
  startTestBus,
  until,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

async function publishTag(config: string, username: string, tag: string) {
  const data = { repo: "herald", tag, rev: "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", username };
  const result = await publishWithHerald(config, "git.tag.create", data);
  expect(result.code).toBe(0);
}

describe("herald notify", () => {
  it.skipIf(!desktopAvailable())(
    "shows a matching message on a real desktop's notification service, text passed as it is",
    async () => {
      const bus = await startTestBus({ keyid: "git.desktop01" });
      cleanup.add(() => bus.relay?.stop());
      // Xvfb, a D-Bus session and dunst: the notification service a Linux desktop runs.
      const desktop = await startDesktop();
      cleanup.add(() => desktop.stop());
      const notify = await bus.joined(() =>
        startHerald(["notify", "--config", bus.config, "--about", "alice"], { env: desktop.env }),
      );
      cleanup.add(() => notify.stop());
      await notify.waitFor(/ready: 1 rule/);
      await publishTag(bus.config, "bob", "v1");
      await publishTag(bus.config, "alice", "v2; $(reboot)");
      // A last matching message: once it shows, everything published before it was handled, so a
      // wrong notification for bob would be there too.
      await publishTag(bus.config, "alice", "v3");
      await until(() => desktop.notifications().length >= 2, "two notifications on the desktop");
      expect(desktop.notifications()).toEqual([
        { appname: "Herald", summary: "Herald: git.tag.create", body: "alice tagged herald v2; $(reboot)" },
        { appname: "Herald", summary: "Herald: git.tag.create", body: "alice tagged herald v3" },
      ]);
      expect(notify.output().stderr).not.toContain("printing instead");
    },
    60_000,
  );

  it("prints notifications when the desktop has no notification service", async () => {
    const bus = await startTestBus({ keyid: "git.desktop02" });
    cleanup.add(() => bus.relay?.stop());
    const notify = await bus.joined(() =>
      startHerald(["notify", "--config", bus.config, "--topic", "git.tag.#"], { env: { PATH: "/nonexistent" } }),
    );
    cleanup.add(() => notify.stop());
    await notify.waitFor(/ready/);
    await publishTag(bus.config, "carol", "v3");
    await notify.waitFor(/carol tagged herald v3/);
    expect(notify.output().stderr).toContain("no desktop notification service (notify-send): printing instead");
  }, 60_000);
});
