import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createBus, loadTrustFile } from "@herald/sdk";
import {
  appAvailable,
  createCleanup,
  createCollector,
  freePort,
  startHerald,
  startTestBus,
  until,
} from "@herald/test-support";
import { createZeroMqTransport } from "@herald/transport-zeromq";
import { afterAll, describe, expect, it } from "vitest";

const cleanup = createCleanup();
afterAll(() => cleanup.run());

describe.skipIf(!appAvailable("buildbot"))(
  "herald integrations serve buildbot, with a real Buildbot master and worker",
  () => {
    it("turns Buildbot's build reports into buildsys.build.start and buildsys.build.complete", {
      timeout: 120_000,
    }, async () => {
      const testBus = await startTestBus({ keyid: "buildsys.bb01" });
      cleanup.add(() => testBus.relay?.stop("SIGKILL"));
      const { dir, config } = testBus;
      const [receiverPort, pbPort, changePort] = [await freePort(), await freePort(), await freePort()];
      const receiver = startHerald([
        "integrations",
        "serve",
        "buildbot",
        "--port",
        String(receiverPort),
        "--config",
        config,
      ]);
      cleanup.add(() => receiver.stop("SIGKILL"));
      await receiver.waitFor(/ready/);
      const bus = createBus({
        schemas: "none",
        transport: await createZeroMqTransport({ connect: [testBus.outbound] }),
        trust: loadTrustFile(testBus.trustFile),
      });
      cleanup.add(() => bus.close());
      const take = createCollector(await bus.subscribe(["org.example.#"]));

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
      const masterProcess = spawn("buildbot", ["start", "--nodaemon", master], { stdio: "ignore" });
      cleanup.add(() => masterProcess.kill("SIGKILL"));
      const log = () => (existsSync(masterLog) ? readFileSync(masterLog, "utf8") : "");
      await until(() => log().includes("BuildMaster is running"), "the Buildbot master", 60_000);
      const workerDir = join(dir, "worker");
      execFileSync("buildbot-worker", ["create-worker", workerDir, `127.0.0.1:${pbPort}`, "w1", "pass"], {
        stdio: "ignore",
      });
      const workerProcess = spawn("buildbot-worker", ["start", "--nodaemon", workerDir], { stdio: "ignore" });
      cleanup.add(() => workerProcess.kill("SIGKILL"));
      await until(() => log().includes("worker 'w1' attaching"), "the Buildbot worker", 60_000);

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
  },
);
