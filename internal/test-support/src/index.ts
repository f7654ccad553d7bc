export { makeTestCertificates, type TestCertificates } from "./certificates.js";
export { chromiumAvailable, chromiumLaunchOptions, chromiumPath } from "./chromium.js";
export { createCollector } from "./collect.js";
export { appAvailable, type DebianApp } from "./debian-apps.js";
export { desktopAvailable, startDesktop, type TestDesktop } from "./desktop.js";
export { startActiveMq, startAmqp10Broker, type TestActiveMq, type TestAmqp10Broker } from "./foreign-brokers.js";
export { type HostileBroker, startHostileAmqp10Broker, startHostileStompBroker } from "./hostile-brokers.js";
export { configureMediaWiki, installMediaWiki, type MediaWikiApi, mediaWikiApi, type TestWiki } from "./mediawiki.js";
export { type HeardLine, type IrcListener, listenOnIrc, startNgircd, type TestIrcServer } from "./ngircd.js";
export { startPeer } from "./peers.js";
export { freePort, tcpAddress, untilBound } from "./ports.js";
export { postgresAvailable, testPostgresSchema, testPostgresUrl } from "./postgres.js";
export type { ProcessResult, RunningProcess, RunOptions } from "./processes.js";
export {
  heraldBin,
  publishWithHerald,
  runHerald,
  runNode,
  startHerald,
  startNode,
  startProcess,
  untilListening,
} from "./processes.js";
export { metricSample, processMetrics } from "./prometheus.js";
export {
  amqpBindings,
  amqpQueueDepth,
  deleteAmqpTopology,
  rabbitmqAvailable,
  startTestExchange,
  type TestExchange,
  testAmqpUrl,
} from "./rabbitmq.js";
export { type RabbitCluster, rabbitmqClusterAvailable, startRabbitCluster } from "./rabbitmq-cluster.js";
export { startTestRegistry, type TestRegistry } from "./registry.js";
export { archivedIds, untilArchived } from "./store-archive.js";
export { createCleanup, relaySubscribers, startTestBus, type TestBus, until, untilSubscribed } from "./test-bus.js";
export { loadVectors, repoRoot, specDir, type Vectors } from "./vectors.js";
