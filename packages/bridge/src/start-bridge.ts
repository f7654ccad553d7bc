import { startAmqpBridge } from "./amqp-bridge.js";
import type { BridgeConfig } from "./bridge-config.js";
import type { BridgeContext, RunningBridge } from "./bridge-direction.js";
import { startFedmsgBridge } from "./fedmsg-bridge.js";
import { startFedoraMessagingBridge } from "./fedora-messaging-bridge.js";
import { startForeignAmqpBridge } from "./foreign-amqp-bridge.js";

const starters: Record<BridgeConfig["kind"], (context: BridgeContext) => Promise<RunningBridge>> = {
  amqp: startAmqpBridge,
  fedmsg: startFedmsgBridge,
  "fedora-messaging": startFedoraMessagingBridge,
  "amqp-foreign": startForeignAmqpBridge,
};

/** Starts one configured bridge by its kind. */
export function startBridge(context: BridgeContext): Promise<RunningBridge> {
  return starters[context.bridge.kind](context);
}

/** True when the bridge converts messages onto the bus, and so signs them with the bridge's key. */
export function bridgeSigns(bridge: BridgeConfig): boolean {
  return bridge.kind !== "amqp" && bridge.direction !== "out";
}
