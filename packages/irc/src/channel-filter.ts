import type { Presentation } from "@herald/schemas";
import { compileTopicPatterns } from "@herald/sdk";
import type { IrcChannelConfig } from "./irc-config.js";

/** Decides whether a message goes to one channel. */
export type ChannelFilter = (topic: string, app: string, presentation: Presentation) => boolean;

/**
 * A channel's filter from its `[[irc.channels]]` entry: every condition given must hold — a
 * topic pattern matches, the app is listed, the message names a listed user, or a listed package.
 * A channel with no conditions gets everything the bot receives.
 */
export function channelFilter(channel: IrcChannelConfig): ChannelFilter {
  const topics = channel.topics === undefined ? undefined : compileTopicPatterns(channel.topics);
  const apps = channel.apps === undefined ? undefined : new Set(channel.apps);
  const users = channel.users === undefined ? undefined : new Set(channel.users);
  const packages = channel.packages === undefined ? undefined : new Set(channel.packages);
  return (topic, app, presentation) =>
    (topics === undefined || topics(topic)) &&
    (apps === undefined || apps.has(app)) &&
    (users === undefined || presentation.usernames.some((user) => users.has(user))) &&
    (packages === undefined || presentation.packages.some((name) => packages.has(name)));
}
