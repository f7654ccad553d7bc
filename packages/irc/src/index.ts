/**
 * @herald/irc: Herald on IRC. `createIrcBot` joins a server (TLS, SASL) and posts lines within a
 * flood-safe rate, reconnecting on its own; `formatIrcLine` renders a message's summary line;
 * `channelFilter` decides which channel gets what.
 */
export { type ChannelFilter, channelFilter } from "./channel-filter.js";
export { createIrcBot, type IrcBot, type IrcBotOptions } from "./irc-bot.js";
export {
  type IrcChannelConfig,
  type IrcConfig,
  type IrcSettings,
  ircChannelConfigSchema,
  ircConfigSchema,
  ircConfigSection,
} from "./irc-config.js";
export { formatIrcLine, printable } from "./irc-format.js";
export { ircBotFromConfig } from "./irc-from-config.js";
export { type IrcService, type IrcServiceOptions, startIrcService } from "./irc-service.js";
export { ircNickPattern, isIrcTarget } from "./irc-target.js";
export { createSendQueue, type SendQueue, type SendQueueOptions } from "./send-queue.js";
