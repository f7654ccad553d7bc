import { createSchemaRegistry } from "@herald/schemas";
import { createBus, loadTrustFile } from "@herald/sdk";
import { createCleanup, createCollector, runHerald, startHerald, startTestBus } from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { afterEach, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterEach(() => cleanup.run());

async function setup() {
  const testBus = await startTestBus({ keyid: "buildsys.ci01" });
  cleanup.add(() => testBus.relay?.stop("SIGKILL"));
  const bus = createBus({
    transport: await createZeroMqTransport({ connect: [testBus.outbound] }),
    trust: loadTrustFile(testBus.trustFile),
    schemas: createSchemaRegistry(),
  });
  cleanup.add(() => bus.close());
  return { config: testBus.config, take: createCollector(await bus.subscribe(["org.example.#"])) };
}

describe("herald build", () => {
  it("exits with the command's exit code and announces start and a failed completion", async () => {
    const { config, take } = await setup();
    const command = ["sh", "-c", "echo compiling; echo broken >&2; exit 3"];
    const result = await runHerald(["build", "--config", config, "--name", "herald", "--", ...command]);
    expect([result.code, result.stdout, result.stderr]).toEqual([3, "compiling\n", "broken\n"]);
    const [start, complete] = await take(2);
    expect(start?.envelope).toMatchObject({
      type: "org.example.dev.buildsys.build.start",
      data: { name: "herald", command },
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
    const loop = "echo started; trap 'echo stopping; exit 143' TERM; while true; do sleep 0.1; done";
    const build = startHerald(["build", "--config", config, "--", "sh", "-c", loop]);
    cleanup.add(() => build.stop("SIGKILL"));
    await build.waitFor(/started/);
    const [start] = await take(1);
    expect(start?.envelope.type).toBe("org.example.dev.buildsys.build.start");
    build.child.kill("SIGTERM");
    expect(await build.exited).toBe(143);
    const [complete] = await take(1, 5000);
    expect(complete?.envelope.data).toMatchObject({ status: "failed", exit_code: 143 });
    expect(complete?.envelope.data.log_tail).toContain("stopping");
  });

  it("exits 127 when the command cannot run", async () => {
    const { config } = await setup();
    const result = await runHerald(["build", "--config", config, "--", "/nonexistent/tool"]);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain("herald build: cannot run /nonexistent/tool: no such command\n");
  });
});
