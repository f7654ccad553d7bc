/** @herald/integration-build: any build command on the Herald bus. */
export { type BuildbotReceiverOptions, buildbotMessage, startBuildbotReceiver } from "./buildbot.js";
export { LogTail } from "./log-tail.js";
export { type BuildMessage, type BuildOutcome, type RunBuildOptions, runBuild } from "./run-build.js";
