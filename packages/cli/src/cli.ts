import { Command, Option } from "commander";
import { collect, port, positiveInteger, withConfig } from "./cli-options.js";
import { handleError } from "./handle-error.js";
import { processIo } from "./io.js";
import { addReactingCommands } from "./reacting-commands.js";
import { addStoreCommands } from "./store-commands.js";
import { addWebCommands } from "./web-commands.js";

/**
 * Builds the `herald` program. Each command's code is imported only when that command runs, so
 * `herald publish` in a git hook does not load the relay or the tail.
 */
export function createProgram(io = processIo()): Command {
  const program = new Command("herald")
    .description("Publish, verify and watch signed messages on a Herald bus.")
    .version("0.1.0")
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)");

  withConfig(
    program
      .command("keygen")
      .description(
        "Create an Ed25519 key pair: writes DIR/<keyid>.pem and prints the public key and a trust-file entry.",
      )
      .argument("<keyid>", "the key's id, e.g. git.pkgs01")
      .option("--dir <dir>", "folder for the private key", ".")
      .option(
        "--topics <pattern>",
        "a topic pattern the key may sign (repeatable; default <prefix>.*.<first token of keyid>.#)",
        collect,
      )
      .option("--trust <file>", "also add the entry to this trust file (created if missing)")
      .option("--force", "overwrite an existing key file")
      .option("--json", "print the public key and entry as JSON"),
  ).action(async (keyid, options) => (await import("./commands/keygen.js")).runKeygen(keyid, options, io));

  withConfig(
    program
      .command("sign")
      .description("Sign envelopes: NDJSON envelopes on stdin, signed NDJSON on stdout.")
      .option("--key <file>", "PKCS#8 PEM private key (default: key_file of the configuration)")
      .option("--keyid <id>", "the key's id (default: key_id of the configuration)"),
  ).action(async (options) => (await import("./commands/sign.js")).runSign(options, io));

  withConfig(
    program
      .command("verify")
      .description(
        "Verify envelopes: NDJSON on stdin, one outcome word per line on stdout; exit 0 only if all are valid.",
      )
      .option("--trust <file>", "trust file (default: trust_file of the configuration)"),
  ).action(async (options) => (await import("./commands/verify.js")).runVerify(options, io));

  withConfig(
    program
      .command("publish")
      .description("Publish one message through a relay; exits 0 only once a relay acknowledged it.")
      .requiredOption(
        "--topic <topic>",
        "full topic, or an event name (git.receive) to put under <prefix>.<environment>",
      )
      .option("--data <json>", "the message's data, a JSON object (default: read from stdin)")
      .option(
        "--relay <address>",
        "relay inbound address (repeatable, tried in order; default: relays of the configuration)",
        collect,
      )
      .option("--key <file>", "PKCS#8 PEM private key to sign with (default: key_file of the configuration)")
      .option("--keyid <id>", "the key's id (default: key_id of the configuration)")
      .option("--source <source>", "the envelope's source, /<app>/<host>")
      .option(
        "--dataschema <schema>",
        "the schema version to publish under, herald:<name>/<major>.<minor> (default: the newest)",
      )
      .option("--no-schema", "publish without checking the data against the topic's schema")
      .option("--spool [dir]", "when no relay answers, queue the message (default folder: spool_dir) and exit 75")
      .addOption(new Option("--timeout <ms>", "how long each relay may take to acknowledge").argParser(positiveInteger))
      .option("--json", "print the acknowledgement as JSON"),
  ).action(async (options) => (await import("./commands/publish.js")).runPublish(options, io));

  withConfig(
    program
      .command("tail")
      .description("Print messages from the bus as they arrive, verified against a trust file.")
      .option(
        "--connect <address>",
        "publisher address to connect to (repeatable; default: every endpoint of the configuration)",
        collect,
      )
      .option("--topic <pattern>", "topic pattern to show (repeatable; default #)", collect)
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "show messages without verifying them (no trust file needed)")
      .addOption(new Option("--count <n>", "exit 0 after this many accepted messages").argParser(positiveInteger))
      .option("--json", "print each accepted envelope on one line exactly as received"),
  ).action(async (options) => (await import("./commands/tail.js")).runTail(options, io));

  withConfig(
    program
      .command("relay")
      .description("Run a relay: take messages from short-lived publishers, check them, republish them, acknowledge.")
      .option(
        "--inbound <address>",
        "ROUTER address to bind (repeatable; default: relay.inbound of the configuration)",
        collect,
      )
      .option(
        "--outbound <address>",
        "PUB address to bind (repeatable; default: relay.outbound of the configuration)",
        collect,
      )
      .addOption(new Option("--http <port>", "also take HTTP POSTs on this port (0: any free port)").argParser(port))
      .option("--no-http", "do not start the HTTP inbound")
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "forward every well-formed message without verifying it")
      .option(
        "--spool [dir]",
        "also deliver what hooks queued in this folder (default: spool_dir), at start and every 2 s",
      )
      .option("--key <file>", "sign HTTP {topic, data} posts with this key (default: key_file of the configuration)")
      .option("--keyid <id>", "the key's id"),
  ).action(async (options) => (await import("./commands/relay.js")).runRelay(options, io));

  withConfig(
    program
      .command("bridge")
      .description(
        "Run the configured [[bridges]]: Herald on RabbitMQ, fedmsg, fedora-messaging, foreign AMQP brokers.",
      )
      .option("--only <name>", "run only this bridge (repeatable; default: every configured bridge)", collect)
      .addOption(
        new Option("--http <port>", "serve /healthz and /metrics here (default: bridge.http_port)").argParser(port),
      )
      .option("--no-http", "serve no /healthz and /metrics")
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .option("--insecure", "bridge every well-formed message without verifying it")
      .option("--key <file>", "sign converted messages with this key (default: key_file of the configuration)")
      .option("--keyid <id>", "the key's id"),
  ).action(async (options) => (await import("./commands/bridge.js")).runBridge(options, io));

  const schema = program.command("schema").description("Browse, compare and check topic schemas.");
  schema
    .command("list")
    .description("List every schema of the built-in registry with its versions.")
    .option("--json", "print as JSON")
    .action(async (options) => (await import("./commands/schema/list.js")).runSchemaList(options, io));
  schema
    .command("show")
    .description("Print the JSON Schema of a schema version (default: the newest).")
    .argument("<name[@version]>", "e.g. git.receive or git.receive@1.0")
    .action(async (reference) => (await import("./commands/schema/show.js")).runSchemaShow(reference, io));
  schema
    .command("diff")
    .description(
      "List the changes between two JSON Schemas; exit 0 if a minor version may make them, 1 if they need a new major.",
    )
    .argument("<old>", "the old JSON Schema file")
    .argument("<new>", "the new JSON Schema file")
    .option("--json", 'print {"compatible", "changes": [{"path", "rule", "breaking"}]}')
    .action(async (oldFile, newFile, options) =>
      (await import("./commands/schema/diff.js")).runSchemaDiff(oldFile, newFile, options, io),
    );
  schema
    .command("check")
    .description("Check the registry: minor versions compatible, generated files current, released versions unchanged.")
    .option("--against <ref>", "git ref whose released versions must be unchanged (e.g. origin/main)")
    .action(async (options) => (await import("./commands/schema/check.js")).runSchemaCheck(options, io));

  program
    .command("validate")
    .description("Validate envelopes (NDJSON) against their dataschema: ok or invalid <json path> <reason> per line.")
    .argument("[file]", "NDJSON file, or - for stdin (default)")
    .option(
      "--schemas <dir>",
      "JSON Schema files laid out as <name>/<major>.<minor>.json (default: the built-in registry)",
    )
    .action(async (file, options) => (await import("./commands/validate.js")).runValidate(file, options, io));

  program
    .command("codegen")
    .description("Generate TypeScript types and a TopicMap from JSON Schema files.")
    .requiredOption("--schemas <dir>", "JSON Schema files laid out as <name>/<major>.<minor>.json")
    .requiredOption("--out <file>", "the TypeScript file to write")
    .option("--check", "write nothing; exit 1 when the file is stale")
    .action(async (options) => (await import("./commands/codegen.js")).runCodegen(options, io));

  const integrations = program.command("integrations").description("Put applications on the bus.");
  withConfig(
    integrations
      .command("install")
      .description(
        "Install an integration: `git <repo.git>` installs the post-receive hook (chaining any hook already there).",
      )
      .argument("<app>", "git")
      .argument("<target>", "for git: the (bare) repository's folder; --config FILE is written into the hook"),
  ).action(async (app, target, options) =>
    (await import("./commands/integrations-install.js")).runIntegrationsInstall(app, target, options, io),
  );
  withConfig(
    integrations
      .command("serve")
      .description(
        "Serve a receiver: `buildbot` takes Buildbot's HttpStatusPush reports and publishes buildsys messages.",
      )
      .argument("<app>", "buildbot")
      .addOption(new Option("--port <port>", "port to listen on").argParser(port).makeOptionMandatory())
      .option("--host <host>", "address to listen on", "127.0.0.1"),
  ).action(async (app, options) =>
    (await import("./commands/integrations-serve.js")).runIntegrationsServe(app, options, io),
  );
  withConfig(
    program
      .command("git-hook")
      .description(
        "Run a git hook's publishing (what installed hooks call): post-receive reads the pushed refs on stdin.",
      )
      .argument("<hook>", "post-receive"),
  ).action(async (hook, options) => (await import("./commands/git-hook.js")).runGitHook(hook, options, io));

  withConfig(
    program
      .command("build")
      .description(
        "Run a build command and announce buildsys.build.start and buildsys.build.complete; exits with its exit code.",
      )
      .option("--name <name>", "what is built (default: the command's first word)")
      .option("--owner <username>", "who started the build")
      .argument("<command...>", "the build command, after --")
      .passThroughOptions(),
  ).action(async (command, options) => (await import("./commands/build.js")).runBuildCommand(command, options, io));

  const mirror = program.command("mirror").description("Triggered mirroring.").enablePositionalOptions();
  withConfig(
    mirror
      .command("agent")
      .description(
        "Wait for the bus to say a tree changed, then sync the changed paths (tier1: from the master; tier2: from its tier-1).",
      )
      .requiredOption("--role <role>", "tier1 or tier2")
      .requiredOption("--name <name>", "this mirror's name")
      .requiredOption("--tree <tree>", "the mirrored tree, e.g. fedora")
      .option("--tier1 <name>", "for a tier2: the tier-1 mirror it follows")
      .requiredOption("--source <path>", "where to pull from (rsync source)")
      .requiredOption("--dest <path>", "where to pull to")
      .option(
        "--connect <address>",
        "publisher address to listen to (repeatable; default: every endpoint of the configuration)",
        collect,
      )
      .option("--trust <file>", "trust file (default: trust_file of the configuration)")
      .addOption(new Option("--http <port>", "serve /healthz and /metrics on this port (127.0.0.1)").argParser(port))
      .argument("<command...>", "the sync command without source and destination, after --: rsync -a --delete")
      .passThroughOptions(),
  ).action(async (command, options) =>
    (await import("./commands/mirror-agent.js")).runMirrorAgent(command, options, io),
  );

  const spool = program.command("spool").description("Messages that waited for a relay.");
  withConfig(
    spool
      .command("flush")
      .description("Deliver queued messages through a relay, oldest first; exit 0 once the spool is empty.")
      .option("--dir <dir>", "the spool folder (default: spool_dir of the configuration)")
      .option("--relay <address>", "relay inbound address (repeatable; default: relays of the configuration)", collect),
  ).action(async (options) => (await import("./commands/spool.js")).runSpoolFlush(options, io));
  withConfig(
    spool
      .command("list")
      .description("List queued messages.")
      .option("--dir <dir>", "the spool folder (default: spool_dir of the configuration)")
      .option("--json", "print as JSON"),
  ).action(async (options) => (await import("./commands/spool.js")).runSpoolList(options, io));

  withConfig(
    program
      .command("config")
      .description("Print the merged configuration and where each value came from.")
      .option("--json", "print as JSON"),
  ).action(async (options) => (await import("./commands/config.js")).runConfig(options, io));

  addStoreCommands(program, io);
  addReactingCommands(program, io);
  addWebCommands(program, io);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io = processIo()): Promise<number> {
  try {
    await createProgram(io).parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    return handleError(error, io);
  }
}
