/**
 * @herald/hub: consumers that react to messages. `defineConsumer` declares one; `createHub` hosts
 * several with concurrency limits, timeouts, retries with backoff and isolation of one that keeps
 * failing; `checkConsumer` tests one against the hosting policy (docs/hub.md).
 */
export { type CheckFinding, type CheckOptions, checkConsumer } from "./consumer-check.js";
export { importModuleDefault } from "./consumer-module.js";
export { createConsumerPublisher } from "./consumer-publisher.js";
export {
  type ConsumerRunner,
  type ConsumerState,
  type ConsumerStats,
  createConsumerRunner,
  type Outcome,
  type RunnerHooks,
} from "./consumer-runner.js";
export { type ConsumerThread, type ConsumerThreadOptions, startConsumerThread } from "./consumer-thread.js";
export {
  type AnyConsumer,
  type AnyConsumerMessage,
  type ConsumerContext,
  type ConsumerDefinition,
  type ConsumerMessage,
  defineConsumer,
  type EventName,
} from "./define-consumer.js";
export { createHub, type HostedConsumer, type HostedConsumerStatus, type Hub, type HubOptions } from "./hub.js";
export {
  type ConsumerLimits,
  type HubConfig,
  type HubConsumer,
  type HubSettings,
  hubConfigSchema,
  hubConfigSection,
  type Isolation,
} from "./hub-config.js";
export { addHubMetrics, hubHealth } from "./hub-metrics.js";
export { type HubServiceOptions, hubRoutes, startHubService } from "./hub-service.js";
export { consumerShapeOf, eventsOf, loadConsumer } from "./load-consumer.js";
export { type CommandRun, runCommand } from "./trigger/run-command.js";
export { createTriggerQueue, type TriggerQueue, type TriggerQueueOptions } from "./trigger/trigger-queue.js";
export { startTrigger, type Trigger, type TriggerOptions } from "./trigger/trigger-service.js";
