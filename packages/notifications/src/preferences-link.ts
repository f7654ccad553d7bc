import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The token of a user's preferences page: an HMAC of the name under the store's secret. Whoever
 * has the link may edit that user's rules, and nobody else's: the link is what `herald prefs link`
 * prints and what every notification e-mail carries.
 */
export function preferencesToken(secret: string, user: string): string {
  return createHmac("sha256", secret).update(user).digest("base64url").slice(0, 32);
}

/** True when `token` is the user's (compared in constant time). */
export function tokenMatches(secret: string, user: string, token: string): boolean {
  const expected = Buffer.from(preferencesToken(secret, user));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The address of a user's preferences page under the service's public URL. */
export function preferencesUrl(publicUrl: string, secret: string, user: string): string {
  const url = new URL("/prefs", publicUrl);
  url.searchParams.set("user", user);
  url.searchParams.set("token", preferencesToken(secret, user));
  return url.toString();
}
