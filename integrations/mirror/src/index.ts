/** @herald/integration-mirror: triggered mirroring on the Herald bus. */
export {
  createMirrorAgent,
  type MirrorAgentOptions,
  type MirrorMessage,
  type MirrorTrigger,
  triggerEvent,
} from "./mirror-agent.js";
export { type MirrorService, type MirrorServiceOptions, startMirrorAgent } from "./mirror-service.js";
export { rsyncArguments } from "./rsync-arguments.js";
