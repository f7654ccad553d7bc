/**
 * @herald/sdk/testing: what applications use in their own tests, so they can assert what they
 * published without patching the SDK's internals.
 */

export { makeSigner, take } from "./test-fixtures.js";
export type { MemoryNetwork, MemoryTransport, SentMessage } from "./transports/memory.js";
export { createMemoryNetwork, createMemoryTransport } from "./transports/memory.js";
