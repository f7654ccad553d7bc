import type { Policy } from "@herald/sdk";

/**
 * What `--insecure` means for `herald tail` and `herald relay`: every well-formed message passes,
 * verified or not. Meant for local experiments; the outcome still travels with each message.
 */
export const insecurePolicy: Policy = { accepts: (outcome) => outcome !== "malformed" };
