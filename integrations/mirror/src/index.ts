/** @herald/integration-mirror: triggered mirroring on the Herald bus. */
export {
  createMirrorAgent,
  type MirrorAgentOptions,
  type MirrorMessage,
  type MirrorTrigger,
  triggerEvent,
} from "./mirror-agent.js";
export { rsyncArguments } from "./rsync-arguments.js";
