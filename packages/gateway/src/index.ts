/**
 * @herald/gateway: streams verified messages to browsers over WebSocket, with server-side filters
 * and a bounded queue per browser (`createGateway`); `herald gateway` serves it with the live
 * bus monitor page.
 */
export { compileFilters, noFilters, parseFilters } from "./client-filter.js";
export { createGateway, type Gateway, type GatewayOptions, type GatewayStats } from "./gateway.js";
export { type GatewayService, type GatewayServiceOptions, startGatewayService } from "./gateway-service.js";
export type { ClientFrame, ServerFrame, StreamFilters, StreamItem } from "./stream-item.js";
