import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The real applications integration tests drive, and the Debian packages that bring them. */
const apps = {
  mediawiki: {
    commands: ["php"],
    files: ["/usr/share/mediawiki/maintenance/install.php"],
    install: "mediawiki php-cli php-sqlite3 php-intl php-mbstring php-xml",
  },
  ngircd: { commands: ["openssl"], files: ["/usr/sbin/ngircd"], install: "ngircd openssl" },
  buildbot: { commands: ["buildbot", "buildbot-worker"], install: "buildbot buildbot-worker" },
  rsync: { commands: ["rsync"], install: "rsync" },
  /** A desktop for `herald notify`: an X server, a D-Bus session bus, a notification daemon. */
  desktop: {
    commands: ["Xvfb", "dbus-daemon", "dunst", "notify-send"],
    install: "xvfb dbus dunst libnotify-bin",
  },
  /** Debian's Chromium for the browser tests, driven by playwright-core. */
  chromium: { files: ["/usr/bin/chromium"], install: "chromium" },
  /** systemd-analyze, which checks the service units of docs/deployment.md. */
  systemd: { commands: ["systemd-analyze", "systemd-sysusers"], install: "systemd" },
  /** Brokers a foreign bridge reads: ActiveMQ (STOMP), RabbitMQ with its AMQP 1.0 plugin. */
  activemq: { commands: ["java", "openssl"], files: ["/usr/share/activemq/bin/activemq.jar"], install: "activemq" },
  "rabbitmq amqp 1.0": {
    commands: ["openssl"],
    files: ["/usr/lib/rabbitmq/bin/rabbitmq-server"],
    install: "rabbitmq-server openssl",
  },
  /** fedmsg's, fedora-messaging's and datagrepper's clients, on the libraries they are built on. */
  "python peers": {
    python: "import zmq, pika, requests, cryptography, OpenSSL",
    commands: ["openssl"],
    install: "python3-zmq python3-pika python3-requests python3-cryptography python3-openssl openssl",
  },
} satisfies Record<string, { commands?: string[]; files?: string[]; python?: string; install: string }>;

/** The applications {@link appAvailable} knows. */
export type DebianApp = keyof typeof apps;

const onPath = (command: string) =>
  (process.env.PATH ?? "").split(delimiter).some((folder) => {
    try {
      accessSync(join(folder, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const said = new Set<string>();

/**
 * Whether the tests that drive `app` run: in CI always (a missing application then fails them,
 * never skips them); elsewhere when it is installed. When it is not, one line says what is
 * missing and how to install it, and the tests are reported as skipped.
 */
export function appAvailable(app: DebianApp): boolean {
  if (process.env.CI === "true") return true;
  const need: { commands?: string[]; files?: string[]; python?: string; install: string } = apps[app];
  const missing = [
    ...(need.commands ?? []).filter((command) => !onPath(command)),
    ...(need.files ?? []).filter((file) => !existsSync(file)),
    ...(need.python !== undefined && spawnSync("/usr/bin/python3", ["-c", need.python]).status !== 0
      ? [`/usr/bin/python3 with ${need.python.replace("import ", "")}`]
      : []),
  ];
  if (missing.length === 0) return true;
  if (!said.has(app)) {
    said.add(app);
    process.stderr.write(
      `skipped: the tests that need ${app} (${missing.join(", ")} not found): apt-get install ${need.install}, or run .ci/run\n`,
    );
  }
  return false;
}
