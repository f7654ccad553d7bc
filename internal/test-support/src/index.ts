export { createCollector } from "./collect.js";
export { startPeer } from "./peers.js";
export { freePort, tcpAddress } from "./ports.js";
export { postgresAvailable, testPostgresSchema, testPostgresUrl } from "./postgres.js";
export type { ProcessResult, RunningProcess, RunOptions } from "./processes.js";
export { heraldBin, runHerald, runNode, startHerald, startNode, startProcess } from "./processes.js";
export { deleteAmqpTopology, rabbitmqAvailable, testAmqpUrl } from "./rabbitmq.js";
export { createCleanup, startTestBus, type TestBus, until } from "./test-bus.js";
export { loadVectors, repoRoot, specDir, type Vectors } from "./vectors.js";
