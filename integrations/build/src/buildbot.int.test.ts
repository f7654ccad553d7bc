import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBus, createZeroMqTransport, loadTrustFile } from "@herald/sdk";
import {
  createCollector,
  freePort,
  type RunningProcess,
  runHerald,
  startHerald,
  tcpAddress,
} from "@herald/test-support";
import { afterAll, describe, expect, it } from "vitest";

const running: RunningProcess[] = [];
const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(running.splice(0).map((process) => process.stop("SIGKILL")));
  await Promise.all(closers.splice(0).map((close) => close()));
});

const until = async (check: () => boolean, what: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe("herald integrations serve buildbot, with a real Buildbot master and worker", () => {
  it("turns Buildbot's build reports into buildsys.build.start and buildsys.build.complete", {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-buildbot-"));
    await runHerald(["keygen", "buildsys.bb01", "--dir", dir, "--trust", join(dir, "trust.json")]);
    const inbound = await tcpAddress();
    const outbound = await tcpAddress();
    const [receiverPort, pbPort, changePort] = [await freePort(), await freePort(), await freePort()];
    const config = join(dir, "herald.toml");
    writeFileSync(
      config,
      `key_file = "buildsys.bb01.pem"\nkey_id = "buildsys.bb01"\ntrust_file = "trust.json"\nrelays = ["${inbound}"]\nspool_dir = "spool"\n[relay]\ninbound = ["${inbound}"]\noutbound = ["${outbound}"]\nhttp_port = 0\n`,
    );
    const relay = startHerald(["relay", "--config", config]);
    running.push(relay);
    await relay.waitFor(/ready/);
    const receiver = startHerald([
      "integrations",
      "serve",
      "buildbot",
      "--port",
      String(receiverPort),
      "--config",
      config,
    ]);
    running.push(receiver);
    await receiver.waitFor(/ready/);
    const bus = createBus({
      transport: await createZeroMqTransport({ connect: [outbound] }),
      trust: loadTrustFile(join(dir, "trust.json")),
    });
    const take = createCollector(await bus.subscribe(["org.example.#"]));
    closers.push(() => bus.close());

    const master = join(dir, "master");
    execFileSync("buildbot", ["create-master", "-r", master], { stdio: "ignore" });
    writeFileSync(
      join(master, "master.cfg"),
      `from buildbot.plugins import changes, reporters, schedulers, steps, util, worker
c = BuildmasterConfig = {}
c['workers'] = [worker.Worker("w1", "pass")]
c['protocols'] = {'pb': {'port': "tcp:${pbPort}:interface=127.0.0.1"}}
c['change_source'] = [changes.PBChangeSource(port="tcp:${changePort}:interface=127.0.0.1", user="change", passwd="changepw")]
c['schedulers'] = [schedulers.AnyBranchScheduler(name="all", treeStableTimer=None, builderNames=["herald"])]
c['builders'] = [util.BuilderConfig(name="herald", workernames=["w1"], factory=util.BuildFactory([steps.ShellCommand(command=["sh", "-c", "echo compiling; exit 3"])]))]
c['services'] = [reporters.HttpStatusPush(serverUrl="http://127.0.0.1:${receiverPort}/buildbot")]
c['title'] = "Herald test"
c['buildbotURL'] = "http://127.0.0.1:8010/"
c['db'] = {'db_url': "sqlite:///state.sqlite"}
c['buildbotNetUsageData'] = None
`,
    );
    // With --nodaemon the master still logs to twistd.log in its folder.
    const masterLog = join(master, "twistd.log");
    children.push(spawn("buildbot", ["start", "--nodaemon", master], { stdio: "ignore" }));
    const log = () => (existsSync(masterLog) ? readFileSync(masterLog, "utf8") : "");
    await until(() => log().includes("BuildMaster is running"), "the Buildbot master");
    const workerDir = join(dir, "worker");
    execFileSync("buildbot-worker", ["create-worker", workerDir, `127.0.0.1:${pbPort}`, "w1", "pass"], {
      stdio: "ignore",
    });
    children.push(spawn("buildbot-worker", ["start", "--nodaemon", workerDir], { stdio: "ignore" }));
    await until(() => log().includes("worker 'w1' attaching"), "the Buildbot worker");

    execFileSync("buildbot", [
      "sendchange",
      "--master",
      `127.0.0.1:${changePort}`,
      "--auth",
      "change:changepw",
      "--who",
      "alice",
      "--branch",
      "main",
      "--repository",
      "herald",
      "README.md",
    ]);
    const [start, complete] = await take(2, 30_000);
    expect(start?.envelope).toMatchObject({
      type: "org.example.dev.buildsys.build.start",
      keyid: "buildsys.bb01",
      data: { build_id: "herald-1", name: "herald", host: "w1", owner: "alice" },
    });
    expect(complete?.envelope).toMatchObject({
      type: "org.example.dev.buildsys.build.complete",
      data: { build_id: "herald-1", name: "herald", status: "failed", exit_code: null, owner: "alice" },
    });
    expect(complete?.envelope.data.log_tail).toMatch(/failed/);
    expect([start?.outcome, complete?.outcome]).toEqual(["valid", "valid"]);
  });
});
