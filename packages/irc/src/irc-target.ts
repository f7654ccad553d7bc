/**
 * A nick or channel as RFC 2812 allows it (and most servers' 30-character limit): letters,
 * digits and `[]\`_^{|}-`, or `#`/`&` and no space, comma, bell or line break. What goes into a
 * PRIVMSG target is checked here, where it crosses into the IRC protocol: a target holding
 * `\r\n` would otherwise send commands of its own.
 */
export const ircNickPattern = /^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]{0,29}$/;
const channelPattern = /^[#&][^\s,\p{Cc}]{1,49}$/u;

/** True when `target` is a nick or a channel name that cannot carry another IRC command. */
export function isIrcTarget(target: string): boolean {
  return ircNickPattern.test(target) || channelPattern.test(target);
}
