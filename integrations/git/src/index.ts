/** @herald/integration-git: git on the Herald bus through a post-receive hook. */
export { commitData } from "./commit-data.js";
export { type GitRepository, openRepository } from "./git-repository.js";
export { type InstallResult, installPostReceiveHook } from "./install-hook.js";
export { type GitMessage, messagesForPush, type PushOptions } from "./push-messages.js";
export { isZero, parseRefUpdates, type RefUpdate } from "./ref-updates.js";
