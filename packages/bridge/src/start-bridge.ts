import { startAmqpBridge } from "./amqp-bridge.js";
import { startAmqp10Bridge } from "./amqp10-bridge.js";
import type { BridgeConfig } from "./bridge-config.js";
import type { BridgeContext, RunningBridge } from "./bridge-direction.js";
import { startFedmsgBridge } from "./fedmsg-bridge.js";
import { startFedoraMessagingBridge } from "./fedora-messaging-bridge.js";
import { startForeignAmqpBridge } from "./foreign-amqp-bridge.js";
import { startStompBridge } from "./stomp-bridge.js";

const starters: Record<BridgeConfig["kind"], (context: BridgeContext) => Promise<RunningBridge>> = {
  amqp: startAmqpBridge,
  fedmsg: startFedmsgBridge,
  "fedora-messaging": startFedoraMessagingBridge,
  "amqp-foreign": startForeignAmqpBridge,
  amqp10: startAmqp10Bridge,
  stomp: startStompBridge,
};

/** The kinds that only bring messages in, from brokers that know nothing of Herald. */
const inOnly: ReadonlySet<BridgeConfig["kind"]> = new Set(["amqp-foreign", "amqp10", "stomp"]);

/** The direction a bridge runs: its own, else `in` for the foreign kinds and `both` for the rest. */
export function bridgeDirection(bridge: BridgeConfig): "in" | "out" | "both" {
  return bridge.direction ?? (inOnly.has(bridge.kind) ? "in" : "both");
}

/** Starts one configured bridge by its kind. */
export function startBridge(context: BridgeContext): Promise<RunningBridge> {
  return starters[context.bridge.kind](context);
}

/** True when the bridge converts messages onto the bus, and so signs them with the bridge's key. */
export function bridgeSigns(bridge: BridgeConfig): boolean {
  return bridge.kind !== "amqp" && bridge.direction !== "out";
}
