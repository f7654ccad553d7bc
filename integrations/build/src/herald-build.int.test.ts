import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSchemaRegistry } from "@herald/schemas";
import { createBus, createZeroMqTransport, loadTrustFile } from "@herald/sdk";
import { createCollector, type RunningProcess, runHerald, startHerald, tcpAddress } from "@herald/test-support";
import { afterEach, describe, expect, it } from "vitest";

const running: RunningProcess[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop("SIGKILL")));
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), "herald-build-"));
  await runHerald(["keygen", "buildsys.ci01", "--dir", dir, "--trust", join(dir, "trust.json")]);
  const inbound = await tcpAddress();
  const outbound = await tcpAddress();
  const config = join(dir, "herald.toml");
  writeFileSync(
    config,
    `key_file = "buildsys.ci01.pem"\nkey_id = "buildsys.ci01"\ntrust_file = "trust.json"\nrelays = ["${inbound}"]\nspool_dir = "spool"\n[relay]\ninbound = ["${inbound}"]\noutbound = ["${outbound}"]\nhttp_port = 0\n`,
  );
  const relay = startHerald(["relay", "--config", config]);
  running.push(relay);
  await relay.waitFor(/ready/);
  const bus = createBus({
    transport: await createZeroMqTransport({ connect: [outbound] }),
    trust: loadTrustFile(join(dir, "trust.json")),
    schemas: createSchemaRegistry(),
  });
  const take = createCollector(await bus.subscribe(["org.example.#"]));
  closers.push(() => bus.close());
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { config, take };
}

describe("herald build", () => {
  it("exits with the command's exit code and announces start and a failed completion", async () => {
    const { config, take } = await setup();
    const result = await runHerald([
      "build",
      "--config",
      config,
      "--name",
      "herald",
      "--",
      "sh",
      "-c",
      "echo compiling; echo broken >&2; exit 3",
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("compiling\n");
    expect(result.stderr).toBe("broken\n");
    const [start, complete] = await take(2);
    expect(start?.envelope).toMatchObject({
      type: "org.example.dev.buildsys.build.start",
      data: { name: "herald", command: ["sh", "-c", "echo compiling; echo broken >&2; exit 3"] },
    });
    expect(complete?.envelope).toMatchObject({
      type: "org.example.dev.buildsys.build.complete",
      data: { status: "failed", exit_code: 3, name: "herald" },
    });
    expect(complete?.envelope.data.log_tail).toContain("compiling\n");
    expect(complete?.envelope.data.build_id).toBe(start?.envelope.data.build_id);
    expect([start?.outcome, complete?.outcome, complete?.schema]).toEqual(["valid", "valid", "valid"]);
  });

  it("passes a signal on to the build and reports how the build ended", async () => {
    const { config, take } = await setup();
    const build = startHerald([
      "build",
      "--config",
      config,
      "--",
      "sh",
      "-c",
      "echo started; trap 'echo stopping; exit 143' TERM; while true; do sleep 0.1; done",
    ]);
    running.push(build);
    await build.waitFor(/started/);
    const [start] = await take(1);
    expect(start?.envelope.type).toBe("org.example.dev.buildsys.build.start");
    build.child.kill("SIGTERM");
    expect(await build.exited).toBe(143);
    const [complete] = await take(1, 5000);
    expect(complete?.envelope.data).toMatchObject({ status: "failed", exit_code: 143 });
    expect(complete?.envelope.data.log_tail).toContain("stopping");
  });

  it("says what is wrong when the command cannot run", async () => {
    const { config } = await setup();
    const result = await runHerald(["build", "--config", config, "--", "/nonexistent/tool"]);
    expect(result.code).toBe(127);
  });
});
